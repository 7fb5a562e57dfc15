package dev.vigil.agent.export;

import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;

/**
 * Encodes spans as an OTLP ExportTraceServiceRequest and hands them to a {@link Delivery}. The
 * encoder is the SDK's reusable one (no marshaler object per span and attribute): batches are
 * encoded one at a time on the span processor's thread, so one encoder serves them all.
 */
public final class OtlpSpanExporter implements SpanExporter {
    private final Delivery delivery;
    private final ExportStats stats;
    private final LowAllocationTraceRequestMarshaler encoder = new LowAllocationTraceRequestMarshaler();

    public OtlpSpanExporter(Delivery delivery, ExportStats stats) {
        this.delivery = delivery;
        this.stats = stats;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
        byte[] body;
        try {
            encoder.initialize(spans);
            ByteArrayOutputStream out = new ByteArrayOutputStream(encoder.getBinarySerializedSize());
            encoder.writeBinaryTo(out);
            body = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            stats.failure(Signal.TRACES, "encode");
            stats.lost(Signal.TRACES, spans.size());
            return CompletableResultCode.ofFailure();
        } finally {
            encoder.reset();
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
