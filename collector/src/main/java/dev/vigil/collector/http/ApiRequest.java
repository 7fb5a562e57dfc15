package dev.vigil.collector.http;

import java.util.List;
import java.util.Map;

/**
 * A request to the API port, as a route handler sees it.
 *
 * @param pathParams values of the route's {@code {name}} segments, URL-decoded
 * @param query query parameters, URL-decoded
 * @param headers request headers, names lower-case
 * @param body the request body (bounded by the server; empty for GET)
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, List<String>> query,
        Map<String, String> headers,
        byte[] body) {
    /** The first value of a query parameter, or {@code fallback}. */
    public String queryParam(String name, String fallback) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? fallback : v.get(0);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }
}
