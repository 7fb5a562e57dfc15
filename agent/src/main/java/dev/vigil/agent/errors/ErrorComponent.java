package dev.vigil.agent.errors;

import java.util.Locale;

/** Where a failure was seen; exported as {@code vigil.error.component}. */
public enum ErrorComponent {
    HTTP_SERVER,
    HTTP_CLIENT,
    DB,
    EXECUTOR,
    LOGGER,
    UNCAUGHT,
    BUSINESS_METHOD;

    /** Lower-case label, e.g. {@code http_server}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
