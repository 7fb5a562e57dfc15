package dev.vigil.collector.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The failures recently committed, by signal, so that one failure the agent reports twice — as a
 * span's exception event and as a log record, both with the same trace, span and fingerprint — is
 * counted once. A key is remembered only after its occurrence was committed, so a request that
 * failed and is retried is never mistaken for a repeat (at worst a failure whose two signals
 * arrive at the same moment counts twice). Bounded: the oldest keys are forgotten first.
 */
final class CountedFailures {
    static final int CAPACITY = 65_536;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, OtlpSignal> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OtlpSignal> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The key of a failure, or null when it cannot be matched across signals (no span context). */
    static String key(String traceId, String spanId, String fingerprintOrType) {
        if (traceId == null || spanId == null || fingerprintOrType == null) {
            return null;
        }
        return traceId + '/' + spanId + '/' + fingerprintOrType;
    }

    /** Whether the other signal already counted this failure. */
    boolean countedByOtherSignal(String key, OtlpSignal signal) {
        if (key == null) {
            return false;
        }
        lock.lock();
        try {
            OtlpSignal s = seen.get(key);
            return s != null && s != signal;
        } finally {
            lock.unlock();
        }
    }

    void remember(Iterable<String> keys, OtlpSignal signal) {
        lock.lock();
        try {
            for (String k : keys) {
                seen.putIfAbsent(k, signal);
            }
        } finally {
            lock.unlock();
        }
    }
}
