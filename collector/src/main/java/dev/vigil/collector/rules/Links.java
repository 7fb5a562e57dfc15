package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

/**
 * Base URLs that go into templates and notifications.
 *
 * @param collector public base URL of the collector's HTTP API ({@code http.public_url}), no trailing slash
 * @param prometheus base URL of a Prometheus that scrapes the agents, or null
 */
public record Links(String collector, String prometheus) {
    public Links {
        collector = stripSlash(requireNonNull(collector, "collector"));
        prometheus = prometheus == null || prometheus.isBlank() ? null : stripSlash(prometheus);
    }

    public String runbook(String alertId) {
        return collector + "/runbooks/" + alertId;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
