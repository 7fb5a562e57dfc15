package dev.vigil.agent.core;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.UUID;

/** The OpenTelemetry resource describing this process: service, instance, host, runtime and agent. */
public final class ServiceResource {
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    public static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

    private ServiceResource() {}

    public static Resource build(AgentConfig config) {
        AttributesBuilder b = Attributes.builder();
        Map<String, String> extra = config.get(AgentSettings.RESOURCE_ATTRIBUTES);
        if (extra != null) {
            extra.forEach(b::put);
        }
        String serviceName = config.get(AgentSettings.SERVICE_NAME);
        if (serviceName == null && extra != null) {
            serviceName = extra.get("service.name");
        }
        b.put(SERVICE_NAME, serviceName != null ? serviceName : defaultServiceName());
        put(b, "service.version", config.get(AgentSettings.SERVICE_VERSION));
        put(b, "deployment.environment.name", config.get(AgentSettings.ENVIRONMENT));
        if (extra == null || !extra.containsKey("service.instance.id")) {
            b.put(SERVICE_INSTANCE_ID, UUID.randomUUID().toString());
        }
        b.put(HOST_NAME, hostName());
        b.put("process.pid", ProcessHandle.current().pid());
        b.put("process.runtime.name", System.getProperty("java.runtime.name", "java"));
        b.put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
        b.put("telemetry.sdk.name", "opentelemetry");
        b.put("telemetry.sdk.language", "java");
        b.put("telemetry.distro.name", "vigil");
        b.put("telemetry.distro.version", AgentVersion.get());
        return Resource.create(b.build());
    }

    private static void put(AttributesBuilder b, String key, String value) {
        if (value != null && !value.isEmpty()) {
            b.put(key, value);
        }
    }

    /** The jar name or the simple main class name from the command line, else {@code unknown_service:java}. */
    static String defaultServiceName() {
        String command = System.getProperty("sun.java.command", "").trim();
        if (command.isEmpty()) {
            return "unknown_service:java";
        }
        String main = command.split("\\s+", 2)[0];
        if (main.endsWith(".jar")) {
            String name = new File(main).getName();
            return name.substring(0, name.length() - 4);
        }
        int dot = main.lastIndexOf('.');
        return dot >= 0 ? main.substring(dot + 1) : main;
    }

    /** Host name without a DNS lookup (which can block for seconds on a misconfigured host). */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            String name = new String(Files.readAllBytes(Paths.get("/etc/hostname")), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (Exception ignored) {
            // not Linux, or unreadable
        }
        String computer = System.getenv("COMPUTERNAME");
        return computer != null ? computer : "localhost";
    }
}
