package dev.vigil.collector.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-receiver breaker: after {@code failures} consecutive failures it opens and blocks attempts
 * for {@code openFor}; then one trial attempt is let through (half-open), which closes it on
 * success or opens it again on failure. Guarded by the sender, which calls it from one thread per
 * receiver at a time.
 */
final class CircuitBreaker {
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int failures;
    private final Duration openFor;
    private int consecutiveFailures;
    private State state = State.CLOSED;
    private Instant openUntil = Instant.MIN;

    CircuitBreaker(int failures, Duration openFor) {
        this.failures = failures;
        this.openFor = openFor;
    }

    synchronized boolean allow(Instant now) {
        if (state == State.OPEN && !now.isBefore(openUntil)) {
            state = State.HALF_OPEN;
            return true;
        }
        return state == State.CLOSED || state == State.HALF_OPEN;
    }

    synchronized void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
    }

    synchronized void onFailure(Instant now) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failures) {
            state = State.OPEN;
            openUntil = now.plus(openFor);
        }
    }

    synchronized State state() {
        return state;
    }

    synchronized Instant openUntil() {
        return openUntil;
    }
}
