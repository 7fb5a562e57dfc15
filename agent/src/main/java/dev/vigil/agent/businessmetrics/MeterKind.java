package dev.vigil.agent.businessmetrics;

import java.util.Locale;

/** The meter a hook records into. */
enum MeterKind {
    /** One increment per call. */
    COUNTER(false),
    /** The duration of each call. */
    TIMER(false),
    /** A numeric value of each call (an argument, the return value or a property of them). */
    DISTRIBUTION(true),
    /** The last numeric value seen. */
    GAUGE(true);

    private final boolean needsValue;

    MeterKind(boolean needsValue) {
        this.needsValue = needsValue;
    }

    boolean needsValue() {
        return needsValue;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MeterKind parse(String text) {
        for (MeterKind k : values()) {
            if (k.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("type '" + text + "' is not one of counter, timer, distribution, gauge");
    }
}
