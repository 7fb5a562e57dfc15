package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.TestEnv;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trace context follows work handed to other threads: the JDBC call a task makes is a child of
 * the request that submitted it, and a failing task is reported in that request's trace.
 */
@Tag("jdk-matrix")
class ExecutorsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static OtlpSink sink;
    private static AgentApp app;

    @BeforeAll
    static void start() {
        sink = OtlpSink.start();
        app = AgentApp.start("sample-service", sink);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static String traceId() {
        return String.format(
                "%016x%016x",
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong() | 1);
    }

    private static String pool(String query, String traceId) {
        return Http.get(app.url("/pool?" + query), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body();
    }

    private static void assertTaskRanInTheRequestsTrace(String via) {
        String traceId = traceId();
        assertThat(pool("via=" + via, traceId)).isEqualTo("users 3");
        ReceivedSpan server =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        ReceivedSpan db =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_CLIENT, WAIT);
        assertThat(db.name()).isEqualTo("SELECT users");
        assertThat(db.parentSpanId())
                .as("the task's JDBC span is a child of the request")
                .isEqualTo(server.spanId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "execute", "completable", "forkjoin", "scheduled"})
    void contextFollowsTheTaskToThePoolThread(String via) {
        assertTaskRanInTheRequestsTrace(via);
    }

    @Test
    void contextFollowsTheTaskToAVirtualThread() {
        Assumptions.assumeTrue(TestEnv.javaFeature() >= 21, "virtual threads need Java 21");
        assertTaskRanInTheRequestsTrace("virtual");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit", "completable", "scheduled"})
    void failingTaskIsReportedInTheTraceThatSubmittedIt(String via) {
        String traceId = traceId();
        assertThat(pool("via=" + via + "&fail=1", traceId)).contains("task failure");
        ReceivedSpan server =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        assertThat(server.events("exception")).anySatisfy(e -> assertThat(e)
                .containsEntry("exception.type", "java.lang.IllegalStateException")
                .containsEntry("exception.message", "task failure")
                .containsEntry("vigil.error.component", "executor"));
    }

    @Test
    void noInstrumentationFailureWasSuppressed() {
        assertThat(pool("via=submit", traceId())).isEqualTo("users 3");
        assertThat(pool("via=completable", traceId())).isEqualTo("users 3");
        assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
    }
}
