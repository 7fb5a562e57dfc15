package dev.vigil.agent.logs;

import dev.vigil.agent.export.Delivery;
import dev.vigil.agent.export.ExportStats;
import dev.vigil.agent.export.Signal;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;

/** Encodes log records as an OTLP ExportLogsServiceRequest and hands them to the {@link Delivery}. */
final class OtlpLogExporter {
    private final Delivery delivery;
    private final ExportStats stats;

    OtlpLogExporter(Delivery delivery, ExportStats stats) {
        this.delivery = delivery;
        this.stats = stats;
    }

    void export(Collection<LogRecordData> records) {
        byte[] body;
        try {
            LogsRequestMarshaler marshaler = LogsRequestMarshaler.create(records);
            ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
            marshaler.writeBinaryTo(out);
            body = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            stats.failure(Signal.LOGS, "encode");
            stats.lost(Signal.LOGS, records.size());
            return;
        }
        delivery.deliver(Signal.LOGS, body, records.size());
    }
}
