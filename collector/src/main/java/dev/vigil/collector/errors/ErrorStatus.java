package dev.vigil.collector.errors;

import java.util.Locale;

/** Triage state of an error group, as in Sentry. */
public enum ErrorStatus {
    /** First seen recently (within {@code errors.new_period}). */
    NEW,
    /** Seen for a while; nobody acted on it. */
    ONGOING,
    /** Seen again after it was resolved (stays so for {@code errors.new_period}, then ongoing). */
    REGRESSED,
    /** Marked resolved by an operator, or not seen for {@code errors.resolve_after}. */
    RESOLVED,
    /** Marked ignored by an operator: still counted, never alerted on as new or regressed. */
    IGNORED;

    /** The lower-case name used in the API and in alert labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static ErrorStatus parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
