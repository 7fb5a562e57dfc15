package dev.vigil.collector.ingest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where features register {@link IngestListener}s. */
public final class IngestListeners {
    private static final Logger log = LoggerFactory.getLogger(IngestListeners.class);

    private final List<IngestListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();

    public void add(IngestListener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Listener failures so far (each logged; the first at WARN). */
    public long failures() {
        return failures.get();
    }

    void logRecord(LogEvent event) {
        for (IngestListener l : listeners) {
            try {
                l.logRecord(event);
            } catch (RuntimeException e) {
                if (failures.getAndIncrement() == 0) {
                    log.warn("an ingest listener failed (further failures are logged at DEBUG): {}", e.toString(), e);
                } else {
                    log.debug("an ingest listener failed: {}", e.toString());
                }
            }
        }
    }
}
