package dev.vigil.collector.instances;

import static java.util.Objects.requireNonNull;

/**
 * Who sent an OTLP request, from its resource attributes.
 *
 * @param host null if the resource has no {@code host.name}
 * @param agentVersion null if unknown
 */
public record Heartbeat(String service, String instanceId, String host, String agentVersion) {
    public Heartbeat {
        requireNonNull(service, "service");
        requireNonNull(instanceId, "instanceId");
    }
}
