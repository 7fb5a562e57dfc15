package dev.vigil.agent.errors;

/**
 * A failure as recorded: its classification, fingerprint and the redacted text that goes on spans,
 * log records and JSON log lines. {@link #firstSighting()} is false when another layer already
 * counted the same failure on this request.
 */
public final class RecordedError {
    private final ErrorClassification classification;
    private final String fingerprint;
    private final String exceptionType;
    private final String message;
    private final String stackTrace;
    private final boolean firstSighting;

    RecordedError(
            ErrorClassification classification,
            String fingerprint,
            String exceptionType,
            String message,
            String stackTrace,
            boolean firstSighting) {
        this.classification = classification;
        this.fingerprint = fingerprint;
        this.exceptionType = exceptionType;
        this.message = message;
        this.stackTrace = stackTrace;
        this.firstSighting = firstSighting;
    }

    public ErrorClassification classification() {
        return classification;
    }

    /** The fingerprint, or null for a failure known only by an HTTP status. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Class of the outermost exception ({@code exception.type}), or the HTTP status. */
    public String exceptionType() {
        return exceptionType;
    }

    /** The outermost exception's message, redacted; may be null. */
    public String message() {
        return message;
    }

    /** The printed stack trace, redacted; null for a failure known only by an HTTP status. */
    public String stackTrace() {
        return stackTrace;
    }

    public boolean firstSighting() {
        return firstSighting;
    }
}
