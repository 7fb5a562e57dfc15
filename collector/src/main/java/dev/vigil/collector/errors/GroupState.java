package dev.vigil.collector.errors;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The writer's copy of one group's row; copied before a batch changes it, so a failed commit leaves it intact. */
final class GroupState {
    final String id;
    final String service;
    final String fingerprint;
    String type;
    String message;
    String category;
    Boolean retryable;
    long firstSeen;
    long lastSeen;
    long count;
    ErrorStatus status;
    long statusChangedAt;
    String stackTrace;
    final Deque<String> traceIds;
    final Deque<String> logLines;

    GroupState(String id, String service, String fingerprint) {
        this.id = id;
        this.service = service;
        this.fingerprint = fingerprint;
        this.traceIds = new ArrayDeque<>();
        this.logLines = new ArrayDeque<>();
    }

    GroupState copy() {
        GroupState c = new GroupState(id, service, fingerprint);
        c.type = type;
        c.message = message;
        c.category = category;
        c.retryable = retryable;
        c.firstSeen = firstSeen;
        c.lastSeen = lastSeen;
        c.count = count;
        c.status = status;
        c.statusChangedAt = statusChangedAt;
        c.stackTrace = stackTrace;
        c.traceIds.addAll(traceIds);
        c.logLines.addAll(logLines);
        return c;
    }

    static void pushRecent(Deque<String> recent, String value, int max) {
        if (value == null || value.isEmpty()) {
            return;
        }
        recent.remove(value);
        recent.addFirst(value);
        while (recent.size() > max) {
            recent.removeLast();
        }
    }

    ErrorGroup toGroup(long lastHourCount, ErrorStatus effectiveStatus) {
        return new ErrorGroup(
                id,
                service,
                fingerprint,
                type,
                message,
                category,
                retryable,
                Instant.ofEpochMilli(firstSeen),
                Instant.ofEpochMilli(lastSeen),
                count,
                lastHourCount,
                effectiveStatus,
                Instant.ofEpochMilli(statusChangedAt),
                stackTrace,
                new ArrayList<>(traceIds),
                List.copyOf(logLines));
    }
}
