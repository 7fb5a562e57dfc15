package dev.vigil.collector.ingest;

/**
 * Sees decoded telemetry as it is accepted (for example the log-pattern rules). Called on the
 * ingest threads: it must be quick, must not block, and must not throw (a failure is logged and
 * counted, and does not reject the request).
 */
public interface IngestListener {
    /** One accepted log record. */
    void logRecord(LogEvent event);
}
