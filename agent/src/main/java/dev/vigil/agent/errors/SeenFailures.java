package dev.vigil.agent.errors;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers which throwables were already counted, so a failure that several layers see on one
 * request (the JDBC call, the servlet it escapes from, the {@code logger.error} that reports it) is
 * counted once. A failure is the same when the throwable, or one in its cause chain, was recorded
 * in the same trace. Without a trace, only on the same thread within {@link #UNTRACED_WINDOW_NANOS},
 * because the JVM reuses preallocated exceptions ({@code -XX:+OmitStackTraceInFastThrow}) and the
 * same instance thrown again later is another failure.
 *
 * <p>A fixed table of weak references indexed by identity hash: lock-free, bounded, never keeps an
 * exception alive. A collision forgets the older entry, which at worst counts a failure twice.
 */
final class SeenFailures {
    static final long UNTRACED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int SLOTS = 1024;

    private static final class Entry extends WeakReference<Throwable> {
        final String traceId;
        final String spanId;
        final long threadId;
        final long nanos;

        Entry(Throwable t, String traceId, String spanId, long threadId, long nanos) {
            super(t);
            this.traceId = traceId;
            this.spanId = spanId;
            this.threadId = threadId;
            this.nanos = nanos;
        }
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);
    /** Traces in which a failure was counted, so the error status a server answers for it is not counted again. */
    private final AtomicReferenceArray<String> failedTraces = new AtomicReferenceArray<>(SLOTS);

    /** What was known about a throwable before this call. */
    enum Seen {
        NEW,
        /** Counted already, but not on this span: the span still gets its status and event. */
        OTHER_SPAN,
        /** Counted already and already on this span. */
        SAME_SPAN
    }

    /**
     * Checks the chain (outermost first) against what was recorded and marks its outermost throwable
     * as recorded now; {@code traceId} and {@code spanId} are null when there is no span.
     */
    Seen check(Throwable[] chain, int length, String traceId, String spanId, long threadId, long now) {
        Seen result = Seen.NEW;
        for (int i = 0; i < length && result == Seen.NEW; i++) {
            Entry e = slots.get(slot(chain[i]));
            if (e != null && e.get() == chain[i] && sameFailure(e, traceId, threadId, now)) {
                result = i == 0 && spanId != null && spanId.equals(e.spanId) ? Seen.SAME_SPAN : Seen.OTHER_SPAN;
            }
        }
        if (length > 0) {
            slots.set(slot(chain[0]), new Entry(chain[0], traceId, spanId, threadId, now));
        }
        return result;
    }

    void markTraceFailed(String traceId) {
        failedTraces.set(traceSlot(traceId), traceId);
    }

    /** Whether a failure was counted in this trace lately (a collision forgets, which at worst counts twice). */
    boolean traceFailed(String traceId) {
        return traceId.equals(failedTraces.get(traceSlot(traceId)));
    }

    private static int traceSlot(String traceId) {
        int h = traceId.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    private static boolean sameFailure(Entry e, String traceId, long threadId, long now) {
        if (traceId != null) {
            return traceId.equals(e.traceId);
        }
        // e.g. a request's exception that then kills its thread: the uncaught handler has no span any more
        return e.threadId == threadId && now - e.nanos < UNTRACED_WINDOW_NANOS;
    }

    private static int slot(Throwable t) {
        int h = System.identityHashCode(t);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
