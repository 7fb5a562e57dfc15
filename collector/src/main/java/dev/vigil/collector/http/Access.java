package dev.vigil.collector.http;

/** Who may call a route on the API port. */
public enum Access {
    /** Anyone: probes and scrapes ({@code /healthz}, {@code /readyz}, {@code /metrics}), runbook pages. */
    PUBLIC,
    /** A token from {@code http.api_tokens} or {@code http.admin_tokens}. */
    READ,
    /** A token from {@code http.admin_tokens} only: changes state. */
    ADMIN
}
