package dev.vigil.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.ServletContainer;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the Servlet instrumentation must do in every container: run once per container (the
 * subclasses), against the same test webapp deployed at {@code /app}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServletContainerContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final OtlpSink sink = OtlpSink.start();
    private final ServletContainer container;

    ServletContainerContract(ServletContainer.Kind kind) {
        ServletContainer started;
        try {
            started = ServletContainer.start(kind, sink);
        } catch (RuntimeException | AssertionError e) {
            sink.close();
            throw e;
        }
        this.container = started;
    }

    @AfterAll
    void stop() {
        container.close();
        sink.close();
    }

    private static String newTraceId() {
        return String.format(
                "%016x%016x",
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong() | 1);
    }

    private ReceivedSpan serverSpanOf(String traceId) {
        return sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
    }

    private String get(String path, String traceId) {
        return Http.get(container.url(path), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body();
    }

    @Test
    void serverSpanHasTheRouteTemplateOfTheServletMappingAndContinuesTheCallersTrace() {
        String traceId = newTraceId();
        assertThat(get("/users/42?tab=orders", traceId)).isEqualTo("user /42");

        ReceivedSpan span = serverSpanOf(traceId);
        assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.name()).isEqualTo("GET /app/users/*");
        assertThat(span.attr("http.route")).isEqualTo("/app/users/*");
        assertThat(span.attr("url.path")).isEqualTo("/app/users/42");
        assertThat(span.attr("url.query")).isEqualTo("tab=orders");
        assertThat(span.attr("http.request.method")).isEqualTo("GET");
        assertThat(span.attr("http.response.status_code")).isEqualTo("200");
        assertThat(span.isError()).isFalse();
    }

    @Test
    void malformedTraceparentStartsANewTraceInsteadOfFailingTheRequest() {
        String marker = "m" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(Http.get(container.url("/hello?marker=" + marker), "traceparent", "00-not-a-trace-id-01")
                        .statusCode())
                .isEqualTo(200);

        ReceivedSpan span = sink.awaitSpan(s -> ("marker=" + marker).equals(s.attr("url.query")), WAIT);
        assertThat(span.parentSpanId()).isEmpty();
        assertThat(span.traceId()).hasSize(32).isNotEqualTo("00000000000000000000000000000000");
        assertThat(span.attr("http.route")).isEqualTo("/app/hello");
    }

    @Test
    void filtersAndForwardsInsideOneRequestGiveOneSpanWithTheOriginalRoute() {
        String traceId = newTraceId();
        assertThat(get("/forward", traceId)).isEqualTo("hello");

        ReceivedSpan span = serverSpanOf(traceId);
        assertThat(span.attr("http.route")).isEqualTo("/app/forward");
        // Nested calls end before the outer one, so they would have been exported with it or earlier.
        assertThat(sink.spans()).filteredOn(s -> s.traceId().equals(traceId)).hasSize(1);
    }

    @Test
    void exceptionEscapingTheServletMakesAnErrorSpanWithStatus500() {
        String traceId = newTraceId();
        assertThat(Http.get(container.url("/fail"), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                        .statusCode())
                .isEqualTo(500);

        ReceivedSpan span = serverSpanOf(traceId);
        assertThat(span.attr("http.route")).isEqualTo("/app/fail");
        assertThat(span.isError()).isTrue();
        assertThat(span.attr("http.response.status_code")).isEqualTo("500");
        assertThat(span.attr("error.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(span.events("exception"))
                .anySatisfy(e -> assertThat(e).containsEntry("exception.message", "servlet failure"));
    }

    @Test
    void serverErrorStatusIsAnErrorButClientErrorIsNot() {
        String unavailable = newTraceId();
        String notFound = newTraceId();
        get("/status?code=503", unavailable);
        get("/status?code=404", notFound);

        ReceivedSpan error = serverSpanOf(unavailable);
        assertThat(error.isError()).isTrue();
        assertThat(error.attr("error.type")).isEqualTo("503");
        ReceivedSpan clientError = serverSpanOf(notFound);
        assertThat(clientError.attr("http.response.status_code")).isEqualTo("404");
        assertThat(clientError.isError()).isFalse();
        assertThat(clientError.attr("error.type")).isNull();
    }

    @Test
    void asyncRequestEndsWhenItCompletesOnAnotherThread() {
        String ok = newTraceId();
        String failed = newTraceId();
        assertThat(get("/async?delay=300", ok)).isEqualTo("async 200");
        assertThat(get("/async?delay=50&code=502", failed)).isEqualTo("async 502");

        ReceivedSpan span = serverSpanOf(ok);
        assertThat(span.attr("http.route")).isEqualTo("/app/async");
        assertThat(span.attr("http.response.status_code")).isEqualTo("200");
        assertThat(span.isError()).isFalse();
        // The span covers the work done after service() returned, not just the call that started it.
        assertThat(span.span.getEndTimeUnixNano() - span.span.getStartTimeUnixNano())
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

        ReceivedSpan error = serverSpanOf(failed);
        assertThat(error.attr("http.response.status_code")).isEqualTo("502");
        assertThat(error.isError()).isTrue();
    }

    @Test
    void requestDurationHistogramUsesTheRouteTemplateAsLabel() {
        Http.get(container.url("/users/1"));
        Http.get(container.url("/users/2"));
        String series = "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/app/users/*\"}";
        assertThat(metric(series)).isGreaterThanOrEqualTo(2);
        assertThat(container.scrape()).doesNotContain("http_route=\"/app/users/1\"");
    }

    @Test
    void noInstrumentationFailureWasSuppressed() {
        get("/hello", newTraceId());
        get("/async?delay=10", newTraceId());
        Http.get(container.url("/fail"));
        assertThat(metric("vigil_agent_instrumentation_errors_total")).isZero();
        assertThat(container.process().outputText()).doesNotContain("instrumentation failure suppressed");
    }

    private double metric(String series) {
        for (String scraped : container.scrape().split("\n")) {
            String line = AgentApp.withoutServiceLabel(scraped);
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(
                        line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }
}
