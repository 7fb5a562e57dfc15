package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.trace.EndedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpSpanExporterTest {
    private final List<byte[]> delivered = new ArrayList<>();
    private final OtlpSpanExporter exporter =
            new OtlpSpanExporter((signal, body, items) -> delivered.add(body), new ExportStats());

    @Test
    void reusedEncoderWritesWhatTheSdkMarshalerWritesForEveryBatch() throws IOException {
        List<SpanData> first = spans("first", 3);
        List<SpanData> second = spans("second", 1);

        assertThat(exporter.export(first).isSuccess()).isTrue();
        assertThat(exporter.export(second).isSuccess()).isTrue();
        assertThat(exporter.export(first).isSuccess()).isTrue();

        assertThat(delivered).hasSize(3);
        assertThat(delivered.get(0)).isEqualTo(reference(first));
        assertThat(delivered.get(1)).isEqualTo(reference(second)); // nothing of the first batch left over
        assertThat(delivered.get(2)).isEqualTo(delivered.get(0));
    }

    private static byte[] reference(List<SpanData> spans) throws IOException {
        TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marshaler.writeBinaryTo(out);
        return out.toByteArray();
    }

    private static List<SpanData> spans(String name, int count) {
        List<SpanData> ended = new ArrayList<>();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")))
                .addSpanProcessor(new EndedSpans(ended))
                .build();
        Tracer tracer = provider.get("test");
        for (int i = 0; i < count; i++) {
            Span server = tracer.spanBuilder(name + " GET /orders/{id}")
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.route", "/orders/{id}")
                    .setAttribute("http.response.status_code", 500L + i)
                    .startSpan();
            Span client = tracer.spanBuilder("SELECT orders")
                    .setParent(Context.root().with(server))
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("db.query.text", "SELECT * FROM orders WHERE id = ?")
                    .startSpan();
            client.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "SQLException"));
            client.setStatus(StatusCode.ERROR, "deadlock");
            client.end();
            server.end();
        }
        provider.close();
        return ended;
    }
}
