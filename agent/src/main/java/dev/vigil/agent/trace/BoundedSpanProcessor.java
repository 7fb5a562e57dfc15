package dev.vigil.agent.trace;

import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Batches ended spans for export on one agent thread. The queue is bounded and lock-free: an
 * application thread ending a span never blocks; when the queue is full the span is dropped and
 * counted ({@code vigil_agent_spans_dropped_total}).
 */
public final class BoundedSpanProcessor implements SpanProcessor {
    private static final AgentLog LOG = AgentLog.get(BoundedSpanProcessor.class);

    private final SpanExporter exporter;
    private final int capacity;
    private final int batchSize;
    private final long intervalNanos;
    private final ConcurrentLinkedQueue<ReadableSpan> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong flushRequests = new AtomicLong();
    private final AtomicLong flushesDone = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public BoundedSpanProcessor(SpanExporter exporter, int capacity, int batchSize, Duration interval) {
        this.exporter = exporter;
        this.capacity = capacity;
        this.batchSize = Math.min(batchSize, capacity);
        this.intervalNanos = interval.toNanos();
        this.worker = AgentThreads.factory("span-batcher").newThread(this::run);
        this.worker.start();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) {
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("span queue is full (" + capacity + "); dropping spans and counting them in"
                        + " vigil_agent_spans_dropped_total");
            }
            return;
        }
        queue.offer(span);
        if (size.get() >= batchSize) {
            LockSupport.unpark(worker);
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    public long droppedSpans() {
        return dropped.get();
    }

    public long exportedSpans() {
        return exported.get();
    }

    public int queueSize() {
        return size.get();
    }

    public int queueCapacity() {
        return capacity;
    }

    private void run() {
        long nextExport = System.nanoTime() + intervalNanos;
        List<SpanData> batch = new ArrayList<>(batchSize);
        while (running || size.get() > 0) {
            long flushTarget = flushRequests.get();
            boolean due = System.nanoTime() - nextExport >= 0;
            if (size.get() >= batchSize || due || flushTarget > flushesDone.get() || !running) {
                drainAndExport(batch);
                if (size.get() < batchSize) {
                    nextExport = System.nanoTime() + intervalNanos;
                    flushesDone.set(flushTarget);
                }
                if (!running && size.get() == 0) {
                    break;
                }
                continue;
            }
            LockSupport.parkNanos(this, Math.max(1, nextExport - System.nanoTime()));
        }
    }

    private void drainAndExport(List<SpanData> batch) {
        batch.clear();
        ReadableSpan span;
        while (batch.size() < batchSize && (span = queue.poll()) != null) {
            size.decrementAndGet();
            try {
                batch.add(span.toSpanData());
            } catch (RuntimeException e) {
                LOG.warnOnce("span-data", "could not read an ended span", e);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            CompletableResultCode result = exporter.export(new ArrayList<>(batch));
            result.join(60, TimeUnit.SECONDS);
            exported.addAndGet(batch.size());
        } catch (RuntimeException e) {
            LOG.warnOnce("span-export", "span export failed", e);
        }
    }

    @Override
    public CompletableResultCode forceFlush() {
        long target = flushRequests.incrementAndGet();
        LockSupport.unpark(worker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flushesDone.get() < target && worker.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return flushesDone.get() >= target ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
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
        return exporter.shutdown();
    }
}
