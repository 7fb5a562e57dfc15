package dev.vigil.collector.instances;

import java.time.Instant;

/**
 * One reporting service instance (one JVM).
 *
 * @param id the API id ({@code /api/instances/{id}}): a hash of service and instance id
 * @param instanceId the resource's {@code service.instance.id}, or {@code host.name} when absent
 * @param agentVersion {@code telemetry.distro.version} (Vigil) or the SDK's version; null if unknown
 * @param stoppedAt when the agent reported a graceful shutdown; null if it did not
 */
public record Instance(
        String id,
        String service,
        String instanceId,
        String host,
        String agentVersion,
        Instant firstSeen,
        Instant lastSeen,
        Instant stoppedAt,
        InstanceState state) {}
