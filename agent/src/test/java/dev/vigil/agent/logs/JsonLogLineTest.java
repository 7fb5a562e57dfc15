package dev.vigil.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.errors.ClassifyingErrorRecorder;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.RecordedError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogLineTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SpanContext SPAN = SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    private final JsonLogLine json = new JsonLogLine("shop", ZoneOffset.UTC);

    private static LogLine line(String message, Map<String, String> mdc, RecordedError error) {
        return new LogLine(
                1_700_000_000_123L,
                LogLevel.ERROR,
                "com.shop.Checkout",
                "http-nio-1",
                message,
                error == null ? null : error.exceptionType(),
                error == null ? null : error.message(),
                error == null ? null : error.stackTrace(),
                mdc,
                SPAN,
                error);
    }

    @Test
    void hasLogstashFieldNamesTraceContextAndErrorFields() throws Exception {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("order_id", "42");
        mdc.put("level", "spoofed");
        RecordedError error = ClassifyingErrorRecorder.builder(new SimpleMeterRegistry(), "shop")
                .build()
                .recordLogged(new IllegalStateException("cart closed"));
        String text = json.format(line("checkout failed", mdc, error));
        assertThat(text).endsWith("}\n").doesNotContain("\n{");
        JsonNode node = MAPPER.readTree(text);
        assertThat(node.get("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(node.get("@version").asText()).isEqualTo("1");
        assertThat(node.get("message").asText()).isEqualTo("checkout failed");
        assertThat(node.get("logger_name").asText()).isEqualTo("com.shop.Checkout");
        assertThat(node.get("thread_name").asText()).isEqualTo("http-nio-1");
        assertThat(node.get("level").asText()).isEqualTo("ERROR");
        assertThat(node.get("level_value").asInt()).isEqualTo(40000);
        assertThat(node.get("order_id").asText()).isEqualTo("42");
        assertThat(node.get("service").asText()).isEqualTo("shop");
        assertThat(node.get("trace_id").asText()).isEqualTo(SPAN.getTraceId());
        assertThat(node.get("span_id").asText()).isEqualTo(SPAN.getSpanId());
        assertThat(node.get("stack_trace").asText()).startsWith("java.lang.IllegalStateException: cart closed\n\tat ");
        assertThat(node.get("vigil.error.category").asText()).isEqualTo("bug");
        assertThat(node.get("vigil.error.retryable").asBoolean()).isFalse();
        assertThat(node.get("vigil.error.component").asText()).isEqualTo(ErrorComponent.LOGGER.label());
        assertThat(node.get("vigil.error.fingerprint").asText()).isEqualTo(error.fingerprint());
        assertThat(MAPPER.readTree(text).findValues("level")).hasSize(1);
    }

    @Test
    void controlCharactersQuotesAndBrokenSurrogatesStillGiveValidJson() throws Exception {
        String nasty = "a\"b\\c\nd\re\tf\u0000g\u001fh\u2028i\ud800j\udc00k \uD83D\uDE00 end";
        byte[] bytes = json.bytes(line(nasty, null, null));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
        JsonNode node = MAPPER.readTree(bytes);
        assertThat(node.get("message").asText())
                .isEqualTo("a\"b\\c\nd\re\tf\u0000g\u001fh\u2028i\ufffdj\ufffdk \uD83D\uDE00 end");
    }

    @Test
    void withoutASpanThereAreNoTraceFields() throws Exception {
        LogLine l = new LogLine(
                0,
                LogLevel.INFO,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Span.getInvalid().getSpanContext(),
                null);
        JsonNode node = MAPPER.readTree(json.format(l));
        assertThat(node.has("trace_id")).isFalse();
        assertThat(node.get("message").asText()).isEmpty();
        assertThat(node.get("level_value").asInt()).isEqualTo(20000);
    }
}
