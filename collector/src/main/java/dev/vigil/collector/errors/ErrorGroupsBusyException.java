package dev.vigil.collector.errors;

/** {@link ErrorGroups} refused work for now (queue full or stopping); the sender should retry. */
public final class ErrorGroupsBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorGroupsBusyException(String message) {
        super(message);
    }
}
