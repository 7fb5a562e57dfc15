package dev.vigil.agent.logs;

import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Batches emitted log records for export on one agent thread. The queue is bounded and lock-free:
 * the application thread that logs never blocks; when the queue is full the record is dropped and
 * counted ({@code vigil_agent_logs_dropped_total}), with one warning.
 */
final class BoundedLogProcessor implements LogRecordProcessor {
    private static final AgentLog LOG = AgentLog.get(BoundedLogProcessor.class);

    private final OtlpLogExporter exporter;
    private final int capacity;
    private final int batchSize;
    private final long intervalNanos;
    private final ConcurrentLinkedQueue<LogRecordData> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong exported = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    BoundedLogProcessor(OtlpLogExporter exporter, int capacity, int batchSize, Duration interval) {
        this.exporter = exporter;
        this.capacity = capacity;
        this.batchSize = Math.min(batchSize, capacity);
        this.intervalNanos = interval.toNanos();
        this.worker = AgentThreads.factory("log-batcher").newThread(this::run);
        this.worker.start();
    }

    @Override
    public void onEmit(Context context, ReadWriteLogRecord record) {
        if (!running) {
            dropped.incrementAndGet();
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("log record queue is full (" + capacity + "); dropping log records and counting them in"
                        + " vigil_agent_logs_dropped_total");
            }
            return;
        }
        queue.offer(record.toLogRecordData());
        if (size.get() >= batchSize) {
            LockSupport.unpark(worker);
        }
    }

    long dropped() {
        return dropped.get();
    }

    long exported() {
        return exported.get();
    }

    int queueSize() {
        return size.get();
    }

    int capacity() {
        return capacity;
    }

    private void run() {
        long nextExport = System.nanoTime() + intervalNanos;
        List<LogRecordData> batch = new ArrayList<>(batchSize);
        while (running || size.get() > 0) {
            if (size.get() >= batchSize || System.nanoTime() - nextExport >= 0 || !running) {
                drainAndExport(batch);
                if (size.get() < batchSize) {
                    nextExport = System.nanoTime() + intervalNanos;
                }
                continue;
            }
            LockSupport.parkNanos(this, Math.max(1, nextExport - System.nanoTime()));
        }
    }

    private void drainAndExport(List<LogRecordData> batch) {
        batch.clear();
        LogRecordData record;
        while (batch.size() < batchSize && (record = queue.poll()) != null) {
            size.decrementAndGet();
            batch.add(record);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            exporter.export(new ArrayList<>(batch));
            exported.addAndGet(batch.size());
        } catch (RuntimeException e) {
            LOG.warnOnce("log-export", "log export failed", e);
        }
    }

    @Override
    public CompletableResultCode shutdown() {
        running = false;
        LockSupport.unpark(worker);
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CompletableResultCode.ofSuccess();
    }
}
