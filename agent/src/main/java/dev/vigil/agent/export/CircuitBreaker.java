package dev.vigil.agent.export;

import java.util.function.DoubleSupplier;

/**
 * Stops calls to a collector that is down. CLOSED: requests flow, consecutive failures are counted;
 * after {@code failureThreshold} of them (or when one request has been failing for too long) the
 * breaker OPENs: nothing is sent for a cool-down, drawn uniformly between half and all of {@code
 * openNanos} (at least the server's Retry-After), while new data goes to the disk buffer. Then it is
 * HALF_OPEN: one probe request is sent; success closes the breaker, failure opens it again.
 *
 * <p>Changed by the delivery thread only; the state is readable from any thread.
 */
final class CircuitBreaker {
    /** Breaker states, exported as {@code vigil_agent_export_circuit_state{state}}. */
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int failureThreshold;
    private final long openNanos;
    private final DoubleSupplier random;
    private volatile State state = State.CLOSED;
    private volatile long opened;
    private int consecutiveFailures;
    private long probeAt;

    CircuitBreaker(int failureThreshold, long openNanos, DoubleSupplier random) {
        if (failureThreshold < 1 || openNanos <= 0) {
            throw new IllegalArgumentException("circuit breaker needs threshold >= 1 and a positive open time");
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
        this.random = random;
    }

    State state() {
        return state;
    }

    /** How many times the breaker opened. */
    long openedCount() {
        return opened;
    }

    /** When an open breaker lets the next probe through (System.nanoTime scale). */
    long probeAt() {
        return probeAt;
    }

    /**
     * Whether a request may be sent now. An open breaker whose cool-down is over becomes half-open and
     * lets exactly one probe through (the caller sends one request, then reports its outcome).
     */
    boolean allowsAttempt(long now) {
        if (state == State.OPEN) {
            if (now - probeAt < 0) {
                return false;
            }
            state = State.HALF_OPEN;
        }
        return true;
    }

    /** The collector answered (accepted, or rejected for good: either way it is up). */
    void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
    }

    /**
     * A retryable failure. Opens the breaker after the threshold, on a failed probe, or when the
     * caller has been retrying one request for too long.
     *
     * @param requestTooOld the failing request has been retried for longer than the configured maximum
     * @param minOpenNanos the server's Retry-After (already capped), or 0
     * @return true when the breaker is now open
     */
    boolean onFailure(long now, boolean requestTooOld, long minOpenNanos) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold || requestTooOld) {
            double r = Math.min(1, Math.max(0, random.getAsDouble()));
            long coolDown = openNanos / 2 + (long) (r * (openNanos - openNanos / 2));
            probeAt = now + Math.max(minOpenNanos, coolDown);
            state = State.OPEN;
            opened++;
            return true;
        }
        return false;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }
}
