package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil.instrumentation.<name>.enabled=false} and {@code vigil.instrumentation.disabled} turn
 * off exactly the instrumentations they name; the others keep working.
 */
class InstrumentationSwitchesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static OtlpSink sink;
    private static AgentApp app;

    @BeforeAll
    static void start() {
        sink = OtlpSink.start();
        app = AgentApp.start(
                "sample-service",
                sink,
                "instrumentation.jdbc.enabled=false",
                "instrumentation.disabled=java-http-client;executors");
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

    private static String get(String path, String traceId) {
        return Http.get(app.url(path), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body();
    }

    private static String traceId() {
        return String.format(
                "%016x%016x",
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong() | 1);
    }

    private static String to(String via, String path) {
        return "/client?via=" + via + "&to=" + URLEncoder.encode(app.url(path), StandardCharsets.UTF_8);
    }

    @Test
    void disabledInstrumentationsRecordNothingAndTheOthersStillDo() {
        String db = traceId();
        String httpClient = traceId();
        String urlConnection = traceId();
        assertThat(get("/db?q=prepared", db)).isEqualTo("bob");
        assertThat(get(to("sync", "/hello"), httpClient)).isEqualTo("status 200");
        assertThat(get(to("urlconnection", "/hello"), urlConnection)).isEqualTo("status 200");

        // http-url-connection is still on: its call is traced and continued by the server it reached.
        ReceivedSpan call =
                sink.awaitSpan(s -> s.traceId().equals(urlConnection) && s.kind() == SpanKind.SPAN_KIND_CLIENT, WAIT);
        sink.awaitSpan(s -> s.traceId().equals(urlConnection) && call.spanId().equals(s.parentSpanId()), WAIT);
        // The server spans of the other two requests are there, but nothing from jdbc or java-http-client.
        sink.awaitSpan(s -> s.traceId().equals(db) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        sink.awaitSpan(s -> s.traceId().equals(httpClient) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        assertThat(sink.spans())
                .filteredOn(s -> s.traceId().equals(db) || s.traceId().equals(httpClient))
                .extracting(ReceivedSpan::kind)
                .as("only the incoming requests; the query and the HttpClient call are not traced")
                .containsOnly(SpanKind.SPAN_KIND_SERVER)
                .hasSize(2);
        assertThat(app.process().outputText())
                .contains("instrumentation 'jdbc' is disabled by configuration")
                .contains("instrumentation 'java-http-client' is disabled by configuration")
                .contains("instrumentation 'executors' is disabled by configuration");
    }
}
