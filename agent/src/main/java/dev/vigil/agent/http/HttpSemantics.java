package dev.vigil.agent.http;

import java.util.Locale;

/** Shared HTTP semantic-convention helpers for server and client telemetry. */
public final class HttpSemantics {
    private HttpSemantics() {}

    private static final String[] STATUS_LABELS = new String[600];

    static {
        for (int i = 100; i < STATUS_LABELS.length; i++) {
            STATUS_LABELS[i] = Integer.toString(i);
        }
    }

    /** The status as a metric label ("" when there is none), without allocating for valid codes. */
    public static String statusLabel(int status) {
        if (status <= 0) {
            return "";
        }
        return status < STATUS_LABELS.length && STATUS_LABELS[status] != null
                ? STATUS_LABELS[status]
                : Integer.toString(status);
    }

    /** The method if it is a known HTTP method, else {@code _OTHER}, so the label stays bounded. */
    public static String method(String method) {
        if (method == null) {
            return "_OTHER";
        }
        switch (method) {
            case "GET":
            case "HEAD":
            case "POST":
            case "PUT":
            case "DELETE":
            case "CONNECT":
            case "OPTIONS":
            case "TRACE":
            case "PATCH":
                return method;
            default:
                return "_OTHER"; // methods are case-sensitive: "get" is not GET
        }
    }

    /** The host part of a Host header ({@code example.com:8080} gives {@code example.com}; IPv6 kept bracket-free). */
    public static String hostOnly(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.charAt(0) == '[') {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.indexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }

    /** Masks the values of query parameters whose names look secret (token, password, key, auth...). */
    public static String redactQuery(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = null;
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int eq = query.indexOf('=', start);
            if (eq > start && eq < end && looksSecret(query, start, eq)) {
                if (out == null) {
                    out = new StringBuilder(query.length()).append(query, 0, start);
                }
                out.append(query, start, eq + 1).append("REDACTED");
            } else if (out != null) {
                out.append(query, start, end);
            }
            if (end < query.length() && out != null) {
                out.append('&');
            }
            start = end + 1;
        }
        return out == null ? query : out.toString();
    }

    private static final String[] SECRET_WORDS = {
        "token",
        "password",
        "passwd",
        "pwd",
        "secret",
        "key",
        "auth",
        "signature",
        "sig",
        "session",
        "credential",
        "jwt",
        "code"
    };

    private static boolean looksSecret(String s, int from, int to) {
        String name = s.substring(from, to).toLowerCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            if (name.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
