package dev.vigil.collector.rules;

/**
 * A change of an alert's state.
 *
 * @param alert the alert after the change
 * @param kind {@code pending}, {@code firing}, {@code resolved} or {@code inactive} (a pending alert whose condition cleared)
 */
public record AlertEvent(Alert alert, String kind) {}
