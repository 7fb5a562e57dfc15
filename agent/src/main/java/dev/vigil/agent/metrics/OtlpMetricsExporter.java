package dev.vigil.agent.metrics;

import dev.vigil.agent.bootstrap.Suppression;
import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.export.Delivery;
import dev.vigil.agent.export.ExportStats;
import dev.vigil.agent.export.Signal;
import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes every meter of the agent's registry to the collector as an OTLP
 * ExportMetricsServiceRequest, every {@code metrics.otlp.interval}, and once more at shutdown.
 * Points are cumulative since the agent started, so a lost request loses no counts. Encoding
 * happens on the {@code vigil-metrics-export} thread; {@link Delivery} queues and sends.
 */
public final class OtlpMetricsExporter implements AutoCloseable {
    private static final AgentLog LOG = AgentLog.get(OtlpMetricsExporter.class);

    private final MeterRegistry registry;
    private final MeterSnapshot snapshot;
    private final Delivery delivery;
    private final ExportStats stats;
    private final ScheduledExecutorService executor;

    private OtlpMetricsExporter(MeterRegistry registry, Resource resource, Delivery delivery, ExportStats stats) {
        this.registry = registry;
        this.snapshot = new MeterSnapshot(resource, System.currentTimeMillis() * 1_000_000L, AgentMetrics.SERVICE_TAG);
        this.delivery = delivery;
        this.stats = stats;
        this.executor = Executors.newSingleThreadScheduledExecutor(AgentThreads.factory("metrics-export"));
    }

    public static OtlpMetricsExporter start(
            MeterRegistry registry, Resource resource, Delivery delivery, ExportStats stats, Duration interval) {
        OtlpMetricsExporter exporter = new OtlpMetricsExporter(registry, resource, delivery, stats);
        long ms = interval.toMillis();
        exporter.executor.scheduleAtFixedRate(exporter::exportSafely, ms, ms, TimeUnit.MILLISECONDS);
        return exporter;
    }

    private void exportSafely() {
        Suppression.enter();
        try {
            export();
        } catch (RuntimeException | LinkageError e) {
            stats.failure(Signal.METRICS, "encode");
            LOG.warnOnce("metrics-export", "could not read or encode the metrics for the collector", e);
        } finally {
            Suppression.exit();
        }
    }

    /** Reads, encodes and hands over one request; visible for tests. */
    void export() {
        List<MetricData> data = snapshot.read(registry.getMeters(), System.currentTimeMillis() * 1_000_000L);
        if (data.isEmpty()) {
            return;
        }
        int points = 0;
        for (MetricData m : data) {
            points += m.getData().getPoints().size();
        }
        byte[] body;
        try {
            MetricsRequestMarshaler marshaler = MetricsRequestMarshaler.create(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
            marshaler.writeBinaryTo(out);
            body = out.toByteArray();
        } catch (IOException e) {
            stats.failure(Signal.METRICS, "encode");
            stats.lost(Signal.METRICS, points);
            return;
        }
        delivery.deliver(Signal.METRICS, body, points);
    }

    /** Stops the schedule and pushes the final values, so counts of the last interval reach the collector. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exportSafely();
    }
}
