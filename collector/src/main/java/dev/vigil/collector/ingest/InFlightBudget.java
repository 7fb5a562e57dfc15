package dev.vigil.collector.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of request bodies held in memory, across all connections, with a hard cap. */
final class InFlightBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    InFlightBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code n} bytes if they fit; false (and nothing taken) otherwise. */
    boolean tryReserve(long n) {
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }
}
