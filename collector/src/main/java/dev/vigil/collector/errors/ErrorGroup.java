package dev.vigil.collector.errors;

import java.time.Instant;
import java.util.List;

/**
 * One error group: every occurrence of the same failure (same service, same fingerprint).
 *
 * @param id stable id used in the API ({@code /api/errors/{id}}): a hash of service and fingerprint
 * @param fingerprint the agent's fingerprint (ErrorFingerprint), or the collector's for plain OTel data
 * @param retryable null when the sender did not classify the error
 * @param lastHourCount occurrences in the hour before the query
 * @param statusChangedAt when the stored status last changed (created, regressed, resolved, ignored)
 * @param traceIds the most recent trace ids, newest first
 * @param logLines the most recent log messages, newest first
 */
public record ErrorGroup(
        String id,
        String service,
        String fingerprint,
        String type,
        String message,
        String category,
        Boolean retryable,
        Instant firstSeen,
        Instant lastSeen,
        long count,
        long lastHourCount,
        ErrorStatus status,
        Instant statusChangedAt,
        String stackTrace,
        List<String> traceIds,
        List<String> logLines) {
    public ErrorGroup {
        traceIds = List.copyOf(traceIds);
        logLines = List.copyOf(logLines);
    }
}
