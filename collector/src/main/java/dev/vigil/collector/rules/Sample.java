package dev.vigil.collector.rules;

import java.util.Map;

/**
 * One active series of a rule at one evaluation: the condition holds for these labels.
 *
 * @param labels the series labels (Prometheus-style names), before the rule's own labels
 * @param value the evaluated value
 * @param threshold the value it was compared with
 * @param context extra template variables (such as {@code last_seen}, or the error group's fingerprint)
 */
public record Sample(Labels labels, double value, double threshold, Map<String, String> context) {
    public Sample {
        context = Map.copyOf(context);
    }
}
