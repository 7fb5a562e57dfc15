package dev.vigil.collector.errors;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One failure seen in the telemetry (a span's exception event, a log record with an exception).
 *
 * @param fingerprint the sender's fingerprint ({@code vigil.error.fingerprint}); null makes
 *     {@link ErrorGroups} compute it from the stack trace, the same way the agent does
 * @param retryable null if unknown
 * @param traceId null if none
 * @param logLine the log message, null if the occurrence did not come from a log record
 * @param repeat the same failure was already counted from another signal (the agent reports one
 *     failure both as a span event and as a log record): only its trace id and log line are kept
 */
public record ErrorOccurrence(
        String service,
        Instant time,
        String fingerprint,
        String type,
        String message,
        String stackTrace,
        String category,
        Boolean retryable,
        String traceId,
        String logLine,
        boolean repeat) {
    public ErrorOccurrence {
        requireNonNull(service, "service");
        requireNonNull(time, "time");
        requireNonNull(type, "type");
    }
}
