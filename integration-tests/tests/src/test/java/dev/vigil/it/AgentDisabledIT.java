package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.TestEnv;
import dev.vigil.it.harness.Wait;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code vigil.enabled=false} (from any layer) leaves the application as if no agent were there. */
@Tag("jdk-matrix")
class AgentDisabledIT {
    @Test
    void disabledAgentServesNoMetricsExportsNothingAndLeavesTheAppWorking() throws Exception {
        int appPort = Ports.free();
        int metricsPort = Ports.free();
        try (OtlpSink sink = OtlpSink.start();
                JavaProcess app = JavaProcess.builder("disabled-agent")
                        .agent("collector.endpoint=" + sink.endpoint() + ",metrics.port=" + metricsPort
                                + ",metrics.host=127.0.0.1,traces.export.interval=200ms")
                        .env("VIGIL_ENABLED", "false")
                        .jar(TestEnv.appJar("sample-service"))
                        .args(String.valueOf(appPort))
                        .start()) {
            app.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
            String disabled = app.awaitLine(l -> l.contains("disabled by vigil.enabled=false"), Duration.ofSeconds(30));
            assertThat(disabled).contains("VIGIL_ENABLED");

            for (int i = 0; i < 20; i++) {
                assertThat(Http.get("http://127.0.0.1:" + appPort + "/hello").statusCode())
                        .isEqualTo(200);
            }

            // An enabled agent exports within its 200 ms interval; give a disabled one ten times that.
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Wait.until(Duration.ofSeconds(5), "the observation window to pass", () -> System.nanoTime() > deadline);
            assertThat(sink.requestCount())
                    .as("requests the disabled agent sent")
                    .isZero();
            assertThat(Http.status("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .as("nothing listens on the metrics port")
                    .isEqualTo(-1);
            assertThat(app.outputText()).doesNotContain("Exception");
        }
    }
}
