package dev.vigil.collector.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rules, notification settings and OTLP heartbeats for the alerting ITs. */
final class AlertSetup {
    static final Path RUNBOOKS =
            Path.of("..", "runbook-templates").toAbsolutePath().normalize();

    private AlertSetup() {}

    /** An InstanceSilent rule that fires 3 s after an instance's last report, evaluated every second. */
    static Path rules(Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Files.createDirectories(rules);
        Files.writeString(rules.resolve("it.yaml"), """
                groups:
                  - name: it
                    interval: 1s
                    rules:
                      - alert: InstanceSilent
                        kind: heartbeat_absent
                        scope: instance
                        after: 3s
                        labels:
                          severity: page
                        annotations:
                          summary: "{{service}} instance {{instance}} went silent"
                """);
        return rules;
    }

    /** The {@code rules:} and {@code notifications:} configuration for webhook receivers. */
    static String config(Path rules, String receivers, String routes) {
        return "rules:\n  dir: " + rules + "\n  runbooks_dir: " + RUNBOOKS + "\n  evaluation_interval: 1s\n"
                + "notifications:\n  receivers:\n" + receivers
                + "  route:\n    receiver: flaky\n    group_by: [alertname, instance]\n    group_wait: 0s\n"
                + "    group_interval: 1s\n    repeat_interval: 1h\n" + routes
                + "  delivery:\n    initial_backoff: 200ms\n    max_backoff: 1s\n    breaker_failures: 3\n"
                + "    breaker_open_for: 1s\n";
    }

    /** One OTLP/JSON log record from an instance: the collector counts it as a heartbeat. */
    static byte[] heartbeat(String service, String instance) {
        long now = System.currentTimeMillis() * 1_000_000L;
        String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":["
                + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service + "\"}},"
                + "{\"key\":\"service.instance.id\",\"value\":{\"stringValue\":\"" + instance + "\"}},"
                + "{\"key\":\"host.name\",\"value\":{\"stringValue\":\"host-" + instance + "\"}}]},"
                + "\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"" + now + "\",\"severityNumber\":13,"
                + "\"severityText\":\"WARN\",\"body\":{\"stringValue\":\"still here\"}}]}]}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
