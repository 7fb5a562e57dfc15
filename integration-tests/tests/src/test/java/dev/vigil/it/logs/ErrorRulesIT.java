package dev.vigil.it.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** errors.rules in vigil.yaml, end to end: a valid rule decides, an invalid one is reported and skipped. */
class ErrorRulesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aUserRuleOverridesTheBuiltInVerdictAndABadRuleIsReportedWithItsLine() throws Exception {
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "errors:",
                        "  rules:",
                        "    - type: java.lang.IllegalStateException",
                        "      message: \"(?i)charge failed\"",
                        "      category: invalid_input",
                        "      severity: info",
                        "    - status: 7xx",
                        "      category: bug",
                        ""));
        try (OtlpSink sink = OtlpSink.start();
                AgentApp app = AgentApp.start("logback-app", sink, "config=" + config)) {
            app.process().awaitLine(l -> l.contains("vigil.yaml:7: status must be an HTTP status"), WAIT);
            String traceId = "7bf92f3577b34da6a3ce929d0e0e4736";
            Http.get(app.url("/fail"), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            ReceivedLog log = sink.awaitLog(l -> l.traceId().equals(traceId), WAIT);
            assertThat(log.attributes)
                    .as("the rule beats the SQLState 40001 of the root cause")
                    .containsEntry("vigil.error.category", "invalid_input")
                    .containsEntry("vigil.error.severity", "info")
                    .containsEntry("vigil.error.retryable", "false");
        }
    }
}
