package dev.vigil.collector.ingest;

import java.util.Locale;

/** The three OTLP/HTTP signals and their paths. */
public enum OtlpSignal {
    TRACES("/v1/traces"),
    METRICS("/v1/metrics"),
    LOGS("/v1/logs");

    private final String path;

    OtlpSignal(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The signal of a request path (query string already removed), or null. */
    public static OtlpSignal ofPath(String path) {
        for (OtlpSignal s : values()) {
            if (s.path.equals(path)) {
                return s;
            }
        }
        return null;
    }
}
