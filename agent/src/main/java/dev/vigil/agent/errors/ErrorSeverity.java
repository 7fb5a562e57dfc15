package dev.vigil.agent.errors;

import java.util.Locale;

/** How bad a failure is, in PagerDuty's levels (critical, error, warning, info). */
public enum ErrorSeverity {
    CRITICAL,
    ERROR,
    WARNING,
    INFO;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** The severity with this label (case-insensitive), or null. */
    public static ErrorSeverity fromLabel(String label) {
        if (label == null) {
            return null;
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (ErrorSeverity s : values()) {
            if (s.label.equals(l)) {
                return s;
            }
        }
        return null;
    }
}
