package dev.vigil.agent.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;

/** Encodes spans as an OTLP ExportTraceServiceRequest and hands them to a {@link Delivery}. */
public final class OtlpSpanExporter implements SpanExporter {
    private final Delivery delivery;
    private final ExportStats stats;

    public OtlpSpanExporter(Delivery delivery, ExportStats stats) {
        this.delivery = delivery;
        this.stats = stats;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        byte[] body;
        try {
            TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
            ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
            marshaler.writeBinaryTo(out);
            body = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            stats.failure(Signal.TRACES, "encode");
            stats.lost(Signal.TRACES, spans.size());
            return CompletableResultCode.ofFailure();
        }
        delivery.deliver(Signal.TRACES, body, spans.size());
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
