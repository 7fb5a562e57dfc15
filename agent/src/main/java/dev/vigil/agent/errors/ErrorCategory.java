package dev.vigil.agent.errors;

import java.util.Locale;

/**
 * What kind of failure an error is: the closed set every error is put in (docs/errors-and-logs.md).
 * Each category carries the retry advice and severity that hold unless a more specific fact (an
 * exception type, a SQLState, a user rule) says otherwise.
 */
public enum ErrorCategory {
    /** A call took too long: read/connect timeouts, query and lock timeouts, HTTP 408/504. */
    TIMEOUT(true, ErrorSeverity.ERROR),
    /** A dependency could not be reached or refused: connection refused/reset, DNS, HTTP 502/503. */
    UNAVAILABLE(true, ErrorSeverity.ERROR),
    /** The caller was throttled: HTTP 429, rate limiters. */
    RATE_LIMITED(true, ErrorSeverity.WARNING),
    /** The request itself was wrong: validation, parsing, HTTP 400/422. Retrying cannot help. */
    INVALID_INPUT(false, ErrorSeverity.WARNING),
    /** Authentication or authorization failed: HTTP 401/403, SQLState 28, access denied. */
    AUTH(false, ErrorSeverity.WARNING),
    /** What was asked for does not exist: HTTP 404/410, no result, no such entity. */
    NOT_FOUND(false, ErrorSeverity.WARNING),
    /** Concurrent modification: deadlocks, serialization failures, optimistic locks, HTTP 409. */
    CONFLICT(true, ErrorSeverity.WARNING),
    /** A constraint of the data was violated: unique keys, foreign keys, not-null (SQLState 23). */
    DATA_INTEGRITY(false, ErrorSeverity.ERROR),
    /** Out of memory, pool or queue exhausted, rejected execution, disk full. */
    RESOURCE_EXHAUSTED(true, ErrorSeverity.CRITICAL),
    /** A programming error: NullPointerException, ClassCastException, IllegalStateException, SQL syntax. */
    BUG(false, ErrorSeverity.ERROR),
    /** The deployment is wrong: missing classes or tables, bad certificates, bean creation. */
    CONFIGURATION(false, ErrorSeverity.CRITICAL),
    /** The work was cancelled or interrupted, often because the client went away. */
    CANCELLED(false, ErrorSeverity.INFO),
    /** Nothing known about the failure decided otherwise. */
    UNKNOWN(false, ErrorSeverity.ERROR);

    private final boolean retryable;
    private final ErrorSeverity severity;
    private final String label;

    ErrorCategory(boolean retryable, ErrorSeverity severity) {
        this.retryable = retryable;
        this.severity = severity;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** Whether a failure of this kind is worth retrying, unless a more specific fact says otherwise. */
    public boolean defaultRetryable() {
        return retryable;
    }

    public ErrorSeverity defaultSeverity() {
        return severity;
    }

    /** Lower-case label as exported, e.g. {@code rate_limited}. */
    public String label() {
        return label;
    }

    /** The category with this label (case-insensitive), or null. */
    public static ErrorCategory fromLabel(String label) {
        if (label == null) {
            return null;
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (ErrorCategory c : values()) {
            if (c.label.equals(l)) {
                return c;
            }
        }
        return null;
    }
}
