package dev.vigil.agent.export;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the agent's shipping, per signal: items sent, export failures by reason, and items
 * lost for good. Exposed on /metrics as {@code vigil_agent_export_*}.
 */
public final class ExportStats {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failuresByReason = new ConcurrentHashMap<>();
    private volatile FailureListener listener;

    /** Told about each new (signal, reason) failure key so it can be registered as a metric. */
    public interface FailureListener {
        void newFailureKey(Signal signal, String reason, AtomicLong counter);
    }

    public void setFailureListener(FailureListener l) {
        this.listener = l;
        for (Map.Entry<String, AtomicLong> e : failuresByReason.entrySet()) {
            String[] parts = e.getKey().split("\u0000", 2);
            l.newFailureKey(Signal.valueOf(parts[0]), parts[1], e.getValue());
        }
    }

    public void sent(Signal signal, int items) {
        counter("sent", signal).addAndGet(items);
    }

    /** One failed export attempt. */
    public void failure(Signal signal, String reason) {
        failureCounter(signal, reason).incrementAndGet();
    }

    /**
     * The counter of failures for {@code signal} and {@code reason}, created at zero if new, so that
     * the usual reasons are on /metrics before the first failure (rates and alerts need the series).
     */
    public AtomicLong failureCounter(Signal signal, String reason) {
        String key = signal.name() + "\u0000" + reason;
        AtomicLong c = failuresByReason.get(key);
        if (c == null) {
            AtomicLong created = new AtomicLong();
            c = failuresByReason.putIfAbsent(key, created);
            if (c == null) {
                c = created;
                FailureListener l = listener;
                if (l != null) {
                    l.newFailureKey(signal, reason, created);
                }
            }
        }
        return c;
    }

    /** Items that will never reach the collector (rejected permanently or dropped beyond the buffer caps). */
    public void lost(Signal signal, int items) {
        counter("lost", signal).addAndGet(items);
    }

    public AtomicLong counter(String kind, Signal signal) {
        return counters.computeIfAbsent(kind + ":" + signal.name(), k -> new AtomicLong());
    }

    public long failures() {
        long total = 0;
        for (AtomicLong c : failuresByReason.values()) {
            total += c.get();
        }
        return total;
    }
}
