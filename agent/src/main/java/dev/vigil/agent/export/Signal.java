package dev.vigil.agent.export;

/** The OTLP signals the agent ships, with their OTLP/HTTP paths. */
public enum Signal {
    TRACES("/v1/traces"),
    LOGS("/v1/logs"),
    METRICS("/v1/metrics");

    private final String path;

    Signal(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Lower-case name, used as the {@code signal} label of the agent's own metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
