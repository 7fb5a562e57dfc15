package dev.vigil.agent.export;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffer's own counters: items dropped by reason, damaged buffer files skipped, items delivered
 * from the disk buffer. Every drop is also counted in {@code vigil_agent_export_lost_total} through
 * {@link ExportStats#lost}.
 */
final class DeliveryCounters {
    /** Why buffered items were given up. */
    enum DropReason {
        /** The memory queue was full and the disk buffer could not take the oldest request. */
        MEMORY_CAP,
        /** The disk buffer reached its size cap: the oldest requests make room for new ones. */
        DISK_CAP,
        /** A buffer file was torn, truncated or damaged, so its content cannot be trusted. */
        CORRUPT,
        /** The process stopped with requests in memory and no usable disk buffer. */
        SHUTDOWN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ExportStats stats;
    private final AtomicLong[][] dropped = new AtomicLong[Signal.values().length][DropReason.values().length];
    private final AtomicLong[] replayed = new AtomicLong[Signal.values().length];
    private final AtomicLong corruptFiles = new AtomicLong();

    DeliveryCounters(ExportStats stats) {
        this.stats = stats;
        for (Signal s : Signal.values()) {
            replayed[s.ordinal()] = new AtomicLong();
            for (DropReason r : DropReason.values()) {
                dropped[s.ordinal()][r.ordinal()] = new AtomicLong();
            }
        }
    }

    void dropped(Signal signal, DropReason reason, int items) {
        dropped[signal.ordinal()][reason.ordinal()].addAndGet(items);
        stats.lost(signal, items);
    }

    AtomicLong droppedCounter(Signal signal, DropReason reason) {
        return dropped[signal.ordinal()][reason.ordinal()];
    }

    void corruptFile() {
        corruptFiles.incrementAndGet();
    }

    AtomicLong corruptFiles() {
        return corruptFiles;
    }

    void replayed(Signal signal, int items) {
        replayed[signal.ordinal()].addAndGet(items);
    }

    AtomicLong replayedCounter(Signal signal) {
        return replayed[signal.ordinal()];
    }
}
