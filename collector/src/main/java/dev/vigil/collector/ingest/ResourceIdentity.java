package dev.vigil.collector.ingest;

import dev.vigil.collector.instances.Heartbeat;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/** Who sent a batch: service, instance and host from the OTLP resource. */
record ResourceIdentity(String service, String instance, String host, String agentVersion) {
    /** What OpenTelemetry SDKs send when no service name was configured. */
    static final String UNKNOWN_SERVICE = "unknown_service";

    static ResourceIdentity of(Resource resource) {
        List<KeyValue> a = resource.getAttributesList();
        String service = nonEmpty(AttributeText.get(a, "service.name"), UNKNOWN_SERVICE);
        String host = AttributeText.get(a, "host.name");
        String instance = nonEmpty(AttributeText.get(a, "service.instance.id"), nonEmpty(host, "unknown"));
        return new ResourceIdentity(service, instance, host, agentVersion(a));
    }

    Heartbeat heartbeat() {
        return new Heartbeat(service, instance, host, agentVersion);
    }

    /** "vigil 0.1.0" for the Vigil agent (telemetry.distro.*), else the SDK's name and version. */
    private static String agentVersion(List<KeyValue> a) {
        String distro = AttributeText.get(a, "telemetry.distro.name");
        String distroVersion = AttributeText.get(a, "telemetry.distro.version");
        if (distroVersion != null) {
            return (distro != null ? distro + " " : "") + distroVersion;
        }
        String sdkVersion = AttributeText.get(a, "telemetry.sdk.version");
        if (sdkVersion != null) {
            String sdk = nonEmpty(AttributeText.get(a, "telemetry.sdk.name"), "sdk");
            String lang = AttributeText.get(a, "telemetry.sdk.language");
            return sdk + (lang != null ? "-" + lang : "") + " " + sdkVersion;
        }
        return null;
    }

    private static String nonEmpty(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
