package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.Promtool;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JDK's com.sun.net.httpserver, instrumented with no code change in the sample service. */
@Tag("jdk-matrix")
class JdkHttpServerIT {
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

    @Test
    void serverSpanCarriesRouteStatusAndContinuesTheCallersTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentId = "00f067aa0ba902b7";
        assertThat(Http.get(
                                app.url("/hello?user=ann&token=s3cr3t"),
                                "traceparent",
                                "00-" + traceId + "-" + parentId + "-01")
                        .statusCode())
                .isEqualTo(200);

        ReceivedSpan span = sink.awaitSpan(s -> s.traceId().equals(traceId), WAIT);
        assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(span.parentSpanId()).isEqualTo(parentId);
        assertThat(span.name()).isEqualTo("GET /hello");
        assertThat(span.attr("http.route")).isEqualTo("/hello");
        assertThat(span.attr("http.request.method")).isEqualTo("GET");
        assertThat(span.attr("http.response.status_code")).isEqualTo("200");
        assertThat(span.attr("url.query")).isEqualTo("user=ann&token=REDACTED");
        assertThat(span.isError()).isFalse();
        assertThat(span.resource)
                .containsEntry("service.name", "sample-service")
                .containsKey("service.instance.id");
    }

    @Test
    void escapingExceptionMarksTheSpanAsErrorWithItsType() {
        Http.status(app.url("/fail"));
        ReceivedSpan span = sink.awaitSpan(s -> "/fail".equals(s.attr("http.route")), WAIT);
        assertThat(span.isError()).isTrue();
        assertThat(span.attr("error.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(span.events("exception")).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("exception.type", "java.lang.IllegalStateException")
                .containsEntry("exception.message", "sample failure"));
    }

    @Test
    void serverErrorStatusIsAnErrorButClientErrorIsNot() {
        Http.status(app.url("/status?code=503"));
        Http.status(app.url("/status?code=404"));
        ReceivedSpan unavailable = sink.awaitSpan(s -> "503".equals(s.attr("http.response.status_code")), WAIT);
        ReceivedSpan notFound = sink.awaitSpan(s -> "404".equals(s.attr("http.response.status_code")), WAIT);
        assertThat(unavailable.isError()).isTrue();
        assertThat(unavailable.attr("error.type")).isEqualTo("503");
        assertThat(notFound.isError()).isFalse();
        assertThat(notFound.attr("error.type")).isNull();
    }

    @Test
    void requestDurationHistogramIsOnMetricsWithSemanticConventionLabels() {
        Http.get(app.url("/hello"));
        String series = "http_server_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/hello\"}";
        assertThat(app.metric(series)).isGreaterThanOrEqualTo(1);
        assertThat(app.scrape()).contains("vigil_agent_instrumentation_errors_total{service=\"sample-service\"} 0.0");
    }

    @Test
    void metricsEndpointPassesPromtoolCheck() {
        Http.get(app.url("/hello"));
        Promtool.Result result = Promtool.checkMetrics(app.scrape());
        assertThat(result.exitCode).as(result.output).isZero();
    }
}
