package dev.vigil.agent.export;

import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with decorrelated jitter (the AWS Architecture Blog's "Exponential Backoff
 * and Jitter"): each delay is drawn uniformly between the initial delay and three times the previous
 * delay, capped at the maximum. The randomness spreads a fleet of agents apart after a collector
 * restart, so they do not all come back in the same second; the growth keeps a struggling collector
 * from being hammered. Not thread-safe: used by the delivery thread only.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private long previousNanos;

    /**
     * @param random uniform values in [0, 1)
     */
    Backoff(long initialNanos, long maxNanos, DoubleSupplier random) {
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException(
                    "back-off needs 0 < initial <= max, got " + initialNanos + " and " + maxNanos + " ns");
        }
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /** The delay before the next attempt: in [initial, min(max, 3 x previous delay)]. */
    long nextDelayNanos() {
        long base = previousNanos == 0 ? initialNanos : previousNanos;
        long upper = base > maxNanos / 3 ? maxNanos : base * 3;
        double r = Math.min(1, Math.max(0, random.getAsDouble()));
        long delay = initialNanos + (long) (r * (upper - initialNanos));
        previousNanos = Math.min(maxNanos, delay);
        return previousNanos;
    }

    /** Starts again from the initial delay, after a success. */
    void reset() {
        previousNanos = 0;
    }
}
