package dev.vigil.collector.notify;

import java.time.Duration;

/**
 * How the outbox retries.
 *
 * @param initialBackoff wait after the first failure
 * @param maxBackoff longest wait between attempts
 * @param giveUpAfter a notification older than this is given up (0 = never)
 * @param maxAttempts attempts before giving up (0 = no limit)
 * @param breakerFailures consecutive failures that open a receiver's circuit breaker
 * @param breakerOpenFor how long an open breaker blocks attempts before one trial
 * @param keepSent how long delivered and given-up rows stay in the outbox (for dedup and audit)
 */
public record DeliveryPolicy(
        Duration initialBackoff,
        Duration maxBackoff,
        Duration giveUpAfter,
        int maxAttempts,
        int breakerFailures,
        Duration breakerOpenFor,
        Duration keepSent) {

    public static DeliveryPolicy defaults() {
        return new DeliveryPolicy(
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofHours(24),
                0,
                5,
                Duration.ofSeconds(30),
                Duration.ofDays(7));
    }
}
