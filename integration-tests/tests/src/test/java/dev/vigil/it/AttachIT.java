package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.TestEnv;
import dev.vigil.it.harness.Wait;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code java -jar vigil-agent.jar attach <pid>} into a JVM that is already serving, and into bad targets. */
@Tag("jdk-matrix")
class AttachIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static JavaProcess attach(String... args) {
        return JavaProcess.builder("attach").jar(TestEnv.agentJar()).args(args).start();
    }

    @Test
    void attachingToAServingJvmInstrumentsClassesItHasAlreadyLoaded() {
        int port = Ports.free();
        int metricsPort = Ports.free();
        try (OtlpSink sink = OtlpSink.start();
                JavaProcess app = JavaProcess.builder("sample-service-attached")
                        .jar(TestEnv.appJar("sample-service"))
                        .args(String.valueOf(port))
                        .start()) {
            app.awaitLine(l -> l.startsWith("READY"), WAIT);
            String base = "http://127.0.0.1:" + port;
            String client = base + "/client?via=sync&to=" + URLEncoder.encode(base + "/hello", StandardCharsets.UTF_8);
            // Load and use the server and the HTTP client before the agent exists.
            assertThat(Http.get(client).body()).isEqualTo("status 200");

            try (JavaProcess attach = attach(
                    "attach",
                    String.valueOf(app.pid()),
                    "collector.endpoint=" + sink.endpoint(),
                    "metrics.port=" + metricsPort,
                    "metrics.host=127.0.0.1",
                    "traces.export.interval=200ms",
                    "service.name=attached")) {
                assertThat(attach.awaitExit(WAIT)).as(attach.outputText()).isZero();
                assertThat(attach.outputText()).contains("vigil: attached to pid " + app.pid());
            }
            Wait.until(
                    WAIT,
                    "the attached agent's /metrics",
                    () -> Http.status("http://127.0.0.1:" + metricsPort + "/metrics") == 200);

            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            assertThat(Http.get(client, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                            .body())
                    .isEqualTo("status 200");
            ReceivedSpan outer =
                    sink.awaitSpan(s -> s.traceId().equals(traceId) && "/client".equals(s.attr("http.route")), WAIT);
            ReceivedSpan call =
                    sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_CLIENT, WAIT);
            ReceivedSpan downstream =
                    sink.awaitSpan(s -> s.traceId().equals(traceId) && "/hello".equals(s.attr("http.route")), WAIT);
            assertThat(outer.resource).containsEntry("service.name", "attached");
            assertThat(call.parentSpanId()).isEqualTo(outer.spanId());
            assertThat(downstream.parentSpanId()).isEqualTo(call.spanId());
        }
    }

    @Test
    void pidOfNoProcessIsAClearErrorWithNonZeroExit() {
        long gone;
        try (JavaProcess shortLived = JavaProcess.builder("exits")
                .jar(TestEnv.agentJar())
                .args("version")
                .start()) {
            assertThat(shortLived.awaitExit(WAIT)).isZero();
            gone = shortLived.pid();
        }
        try (JavaProcess attach = attach("attach", String.valueOf(gone))) {
            assertThat(attach.awaitExit(WAIT)).isEqualTo(1);
            assertThat(attach.outputText()).contains("vigil: no process with pid " + gone);
        }
    }

    @Test
    void processThatIsNotAJvmIsAClearErrorWithNonZeroExit() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try (JavaProcess attach = attach("attach", String.valueOf(sleep.pid()))) {
            assertThat(attach.awaitExit(WAIT)).isEqualTo(1);
            assertThat(attach.outputText())
                    .contains("vigil: cannot attach to pid " + sleep.pid())
                    .contains("does not look like a JVM");
        } finally {
            sleep.destroy();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void jvmThatForbidsAttachIsAClearErrorWithNonZeroExitAndKeepsServing() {
        int port = Ports.free();
        try (JavaProcess app = JavaProcess.builder("sample-service-no-attach")
                .jvmArg("-XX:+DisableAttachMechanism")
                .jar(TestEnv.appJar("sample-service"))
                .args(String.valueOf(port))
                .start()) {
            app.awaitLine(l -> l.startsWith("READY"), WAIT);
            try (JavaProcess attach = attach("attach", String.valueOf(app.pid()))) {
                assertThat(attach.awaitExit(WAIT)).as(attach.outputText()).isEqualTo(1);
                assertThat(attach.outputText())
                        .contains("vigil: cannot attach to pid " + app.pid())
                        .contains("-XX:+DisableAttachMechanism");
            }
            assertThat(Http.status("http://127.0.0.1:" + port + "/hello")).isEqualTo(200);
        }
    }

    @Test
    void pidThatIsNotANumberIsAUsageError() {
        try (JavaProcess attach = attach("attach", "my-service")) {
            assertThat(attach.awaitExit(WAIT)).isEqualTo(2);
            assertThat(attach.outputText()).contains("'my-service' is not a process id");
        }
    }
}
