package dev.vigil.collector.rules;

/** Lifecycle of an alert, as in Prometheus; an inactive alert has no record at all. */
public enum AlertState {
    PENDING,
    FIRING,
    RESOLVED;

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
