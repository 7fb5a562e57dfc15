package dev.vigil.agent.export;

/**
 * Outcome of one OTLP/HTTP request, classified as in the OTLP specification: success (including
 * partial success, which must not be retried), retryable (429, 502, 503, 504 and network errors,
 * with the server's Retry-After if any) or permanent (every other status: retrying cannot help).
 */
public final class SendResult {
    /** Kinds of outcome. */
    public enum Kind {
        SUCCESS,
        RETRYABLE,
        PERMANENT
    }

    private static final SendResult OK = new SendResult(Kind.SUCCESS, 200, -1, "ok");

    private final Kind kind;
    private final int status;
    private final long retryAfterMillis;
    private final String reason;

    private SendResult(Kind kind, int status, long retryAfterMillis, String reason) {
        this.kind = kind;
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
        this.reason = reason;
    }

    public static SendResult success() {
        return OK;
    }

    public static SendResult retryable(int status, long retryAfterMillis, String reason) {
        return new SendResult(Kind.RETRYABLE, status, retryAfterMillis, reason);
    }

    public static SendResult permanent(int status, String reason) {
        return new SendResult(Kind.PERMANENT, status, -1, reason);
    }

    /** Classifies an HTTP status per the OTLP/HTTP specification. */
    public static SendResult ofStatus(int status, long retryAfterMillis, String body) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        String reason = "http_" + status;
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            return retryable(status, retryAfterMillis, reason);
        }
        return permanent(status, reason + (body == null || body.isEmpty() ? "" : ": " + body));
    }

    public Kind kind() {
        return kind;
    }

    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }

    /** HTTP status, or 0 for a network failure. */
    public int status() {
        return status;
    }

    /** Server-requested delay before the next attempt, or -1 when none was given. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Short machine-friendly reason (http_503, connect, timeout, io) followed by any detail. */
    public String reason() {
        return reason;
    }

    /** The reason up to its first ':' — bounded cardinality, suitable as a metric label. */
    public String reasonLabel() {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    @Override
    public String toString() {
        return kind + " " + reason;
    }
}
