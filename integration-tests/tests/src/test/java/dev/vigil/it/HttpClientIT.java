package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.Ports;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * java.net.http.HttpClient (send and sendAsync) and HttpURLConnection in the sample service: it
 * calls itself, so both ends of each call are in the same trace.
 */
@Tag("jdk-matrix")
class HttpClientIT {
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

    private static String call(String via, String target, String traceId) {
        String url = app.url("/client?via=" + via + "&to=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        return Http.get(url, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body();
    }

    private static ReceivedSpan clientSpan(String traceId) {
        return sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_CLIENT, WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async", "urlconnection"})
    void clientSpanIsAChildOfTheRequestAndItsTraceparentReachesTheServer(String via) {
        String traceId = traceId();
        String target = app.url("/hello?token=s3cr3t");
        assertThat(call(via, target, traceId)).isEqualTo("status 200");

        ReceivedSpan outer =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && "/client".equals(s.attr("http.route")), WAIT);
        ReceivedSpan client = clientSpan(traceId);
        ReceivedSpan downstream =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && "/hello".equals(s.attr("http.route")), WAIT);
        assertThat(client.parentSpanId()).isEqualTo(outer.spanId());
        assertThat(downstream.parentSpanId())
                .as("the server saw the client's traceparent")
                .isEqualTo(client.spanId());
        assertThat(client.name()).isEqualTo("GET");
        assertThat(client.attr("http.request.method")).isEqualTo("GET");
        assertThat(client.attr("url.full")).isEqualTo(app.url("/hello?token=REDACTED"));
        assertThat(client.attr("server.address")).isEqualTo("127.0.0.1");
        assertThat(client.attr("server.port")).isEqualTo(String.valueOf(app.appPort()));
        assertThat(client.attr("http.response.status_code")).isEqualTo("200");
        assertThat(client.isError()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async", "urlconnection"})
    void serverErrorAnswerIsAFailedCall(String via) {
        String traceId = traceId();
        assertThat(call(via, app.url("/status?code=503"), traceId)).isEqualTo("status 503");

        ReceivedSpan client = clientSpan(traceId);
        assertThat(client.attr("http.response.status_code")).isEqualTo("503");
        assertThat(client.attr("error.type")).isEqualTo("503");
        assertThat(client.isError()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async", "urlconnection"})
    void connectionFailureIsRecordedWithItsExceptionType(String via) {
        String traceId = traceId();
        String closedPort = "http://127.0.0.1:" + Ports.free() + "/nothing";
        assertThat(call(via, closedPort, traceId)).isEqualTo("failed java.net.ConnectException");

        ReceivedSpan client = clientSpan(traceId);
        assertThat(client.isError()).isTrue();
        assertThat(client.attr("error.type")).isEqualTo("java.net.ConnectException");
        assertThat(client.attr("http.response.status_code")).isNull();
        assertThat(client.events("exception")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "urlconnection"})
    void requestDurationHistogramHasSemanticConventionLabels(String via) {
        call(via, app.url("/hello"), traceId());
        String series = "http_client_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",server_address=\"127.0.0.1\",server_port=\"" + app.appPort()
                + "\"}";
        assertThat(app.metric(series)).isGreaterThanOrEqualTo(1);
        assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
    }
}
