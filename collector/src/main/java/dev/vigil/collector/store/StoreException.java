package dev.vigil.collector.store;

/**
 * The state store failed. Nothing of the failed transaction was kept: callers must not
 * acknowledge what they were writing (ingest answers 503, so the sender retries).
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
