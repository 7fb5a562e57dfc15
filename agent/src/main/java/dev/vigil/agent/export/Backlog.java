package dev.vigil.agent.export;

import dev.vigil.agent.export.DeliveryCounters.DropReason;
import dev.vigil.agent.log.AgentLog;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every export request not yet delivered, in two tiers: a bounded memory queue for the normal case,
 * and the {@link DiskBuffer} for what does not fit in memory or arrives while the collector is down.
 * Each request gets a sequence number when it is added; both tiers are kept in that order, so a
 * request moved to disk late (when the breaker opens) still takes its place among older ones.
 *
 * <p>Fairness: when both tiers hold requests, {@link #next()} alternates between the oldest request
 * on disk and the oldest in memory, one each, so a long backlog is replayed oldest first without
 * starving fresh data, and fresh data cannot starve the backlog.
 *
 * <p>Thread-safe: producers ({@link #add}) and the delivery thread share one short lock; disk writes
 * happen under it, network calls never do.
 */
final class Backlog {
    private static final AgentLog LOG = AgentLog.get(Backlog.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> memory = new ArrayDeque<>();
    private final long memoryMaxBytes;
    private final DiskBuffer disk;
    private final DeliveryCounters counters;
    private volatile long memoryBytes;
    private volatile int memoryCount;
    private long nextSeq;
    private boolean preferDisk = true;
    private Pending inFlight;
    private boolean closed;

    /** One request: in memory, or read back from disk. */
    static final class Pending {
        final long seq;
        final Signal signal;
        final int items;
        final boolean fromDisk;
        byte[] body;
        /** A memory request that has since been moved to disk (guarded by the backlog's lock). */
        boolean spilled;

        Pending(long seq, Signal signal, int items, byte[] body, boolean fromDisk) {
            this.seq = seq;
            this.signal = signal;
            this.items = items;
            this.body = body;
            this.fromDisk = fromDisk;
        }
    }

    Backlog(long memoryMaxBytes, DiskBuffer disk, DeliveryCounters counters) {
        this.memoryMaxBytes = memoryMaxBytes;
        this.disk = disk;
        this.counters = counters;
        this.nextSeq = disk.nextSeq();
    }

    /**
     * Adds a request. With {@code toDisk} (the collector is down) it is written straight to disk, so a
     * crash does not lose it; otherwise it joins the memory queue, whose oldest requests move to disk
     * when it is over its size (or are dropped and counted when the disk cannot take them).
     */
    void add(Signal signal, byte[] body, int items, boolean toDisk) {
        lock.lock();
        try {
            if (closed) {
                counters.dropped(signal, DropReason.SHUTDOWN, items);
                LOG.warnOnce(
                        "deliver-after-shutdown",
                        "export requested after the agent stopped; " + items + " " + signal.label()
                                + " counted as lost",
                        null);
                return;
            }
            long seq = nextSeq++;
            if (toDisk && disk.write(seq, signal, items, body)) {
                return;
            }
            memory.addLast(new Pending(seq, signal, items, body, false));
            memoryBytes += body.length;
            memoryCount = memory.size();
            trimMemory();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next request to send, or null when there is none; it stays in the backlog (and is never
     * evicted) until {@link #done} or {@link #release}. Damaged disk files met on the way are
     * skipped and counted.
     */
    Pending next() {
        lock.lock();
        try {
            while (true) {
                Pending head = memory.peekFirst();
                DiskBuffer.Entry oldest = disk.first();
                if (head == null && oldest == null) {
                    return null;
                }
                boolean fromDisk = oldest != null && (head == null || preferDisk);
                preferDisk = !fromDisk;
                if (!fromDisk) {
                    inFlight = head;
                    return head;
                }
                byte[] body = disk.read(oldest);
                if (body != null) {
                    BufferRecord r = oldest.record;
                    inFlight = new Pending(r.seq, r.signal, r.items, body, true);
                    disk.protect(r.seq);
                    return inFlight;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The request was delivered or rejected for good: it leaves the backlog. */
    void done(Pending p) {
        lock.lock();
        try {
            if (p.fromDisk || p.spilled) {
                disk.delete(p.seq);
            } else if (memory.peekFirst() == p) {
                memory.pollFirst();
                memoryBytes -= p.body.length;
            } else if (memory.remove(p)) {
                memoryBytes -= p.body.length;
            }
            memoryCount = memory.size();
            clearInFlight(p);
        } finally {
            lock.unlock();
        }
    }

    /** The request could not be sent now; it stays where it is, free to be moved or evicted. */
    void release(Pending p) {
        lock.lock();
        try {
            clearInFlight(p);
        } finally {
            lock.unlock();
        }
    }

    /** Moves everything in memory to disk, oldest first, as far as the disk takes it. */
    void spillAll() {
        lock.lock();
        try {
            while (!memory.isEmpty() && disk.usable()) {
                if (!spill(memory.peekFirst())) {
                    return;
                }
                memory.pollFirst();
            }
        } finally {
            memoryCount = memory.size();
            lock.unlock();
        }
    }

    /**
     * At shutdown: what is left in memory goes to disk for the next run; what cannot is counted as
     * lost. Then the disk directory is released.
     */
    void persistAndClose() {
        lock.lock();
        try {
            spillAll();
            for (Pending p : memory) {
                counters.dropped(p.signal, DropReason.SHUTDOWN, p.items);
            }
            if (!memory.isEmpty()) {
                LOG.warn("stopping with " + memory.size() + " export requests that neither the collector nor the disk"
                        + " buffer took; they are counted in vigil_agent_export_lost_total");
            }
            memory.clear();
            memoryBytes = 0;
            memoryCount = 0;
            closed = true;
            disk.close();
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing is waiting in memory and nothing is being sent (the disk may still hold a backlog). */
    boolean memoryIdle() {
        lock.lock();
        try {
            return memory.isEmpty() && inFlight == null;
        } finally {
            lock.unlock();
        }
    }

    long memoryBytes() {
        return memoryBytes;
    }

    int memoryRequests() {
        return memoryCount;
    }

    long diskBytes() {
        return disk.bytes();
    }

    int diskRequests() {
        return disk.count();
    }

    /** Whether the disk buffer currently takes requests (false: memory-only), without retrying it. */
    boolean diskAvailable() {
        return disk.available();
    }

    DiskBuffer disk() {
        return disk;
    }

    private void trimMemory() {
        Iterator<Pending> it = memory.iterator();
        while (memoryBytes > memoryMaxBytes && it.hasNext()) {
            Pending oldest = it.next();
            if (spill(oldest)) {
                it.remove();
                continue;
            }
            if (oldest == inFlight) {
                continue; // being sent: dropping it could count a delivered request as lost
            }
            it.remove();
            memoryBytes -= oldest.body.length;
            counters.dropped(oldest.signal, DropReason.MEMORY_CAP, oldest.items);
            LOG.warnOnce(
                    "buffer-memory-cap",
                    "the export queue in memory is full (" + memoryMaxBytes
                            + " bytes, vigil.collector.buffer.memory.max.size) and the disk buffer cannot take"
                            + " more: dropping the oldest requests, counted in vigil_agent_export_lost_total",
                    null);
        }
        memoryCount = memory.size();
    }

    /** Writes a memory request to disk; on success it is no longer counted in memory. */
    private boolean spill(Pending p) {
        if (!disk.write(p.seq, p.signal, p.items, p.body)) {
            return false;
        }
        memoryBytes -= p.body.length;
        p.spilled = true;
        if (p == inFlight) {
            disk.protect(p.seq);
        }
        return true;
    }

    private void clearInFlight(Pending p) {
        if (inFlight == p) {
            inFlight = null;
            disk.protect(-1);
        }
    }
}
