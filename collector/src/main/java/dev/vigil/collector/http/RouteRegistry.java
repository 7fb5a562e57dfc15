package dev.vigil.collector.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API port's routes. Features register theirs at start ({@code GET /api/alerts},
 * {@code GET /runbooks/{id}}...). A path is literal segments and {@code {name}} segments, which
 * match one non-empty segment; a trailing {@code {name...}} matches the rest of the path.
 * Literal segments win over parameters, so {@code /api/errors/summary} beats {@code /api/errors/{id}}.
 */
public final class RouteRegistry {
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /**
     * @throws IllegalArgumentException if the same method and path are already registered
     */
    public void register(String method, String path, Access access, ApiHandler handler) {
        Route r = new Route(method.toUpperCase(Locale.ROOT), path, access, handler);
        for (Route existing : routes) {
            if (existing.method.equals(r.method) && existing.path.equals(r.path)) {
                throw new IllegalArgumentException("route already registered: " + r.method + " " + path);
            }
        }
        routes.add(r);
    }

    /** The route for a request, or null; {@link Match#methodNotAllowed} when only the method differs. */
    Match match(String method, String path) {
        String[] segments = split(path);
        Match best = null;
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> params = r.match(segments);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (!r.method.equals(method) && !(method.equals("HEAD") && r.method.equals("GET"))) {
                continue;
            }
            if (best == null || r.literalSegments > best.route.literalSegments) {
                best = new Match(r, params, false);
            }
        }
        if (best == null && pathKnown) {
            return new Match(null, Map.of(), true);
        }
        return best;
    }

    static String[] split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out.toArray(new String[0]);
    }

    record Match(Route route, Map<String, String> params, boolean methodNotAllowed) {}

    static final class Route {
        final String method;
        final String path;
        final Access access;
        final ApiHandler handler;
        final String[] segments;
        final int literalSegments;

        Route(String method, String path, Access access, ApiHandler handler) {
            this.method = method;
            this.path = requireNonNull(path, "path");
            this.access = requireNonNull(access, "access");
            this.handler = requireNonNull(handler, "handler");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a route path starts with /: " + path);
            }
            this.segments = split(path);
            int literal = 0;
            for (int i = 0; i < segments.length; i++) {
                if (!segments[i].startsWith("{")) {
                    literal++;
                } else if (segments[i].endsWith("...}") && i != segments.length - 1) {
                    throw new IllegalArgumentException("{name...} must be the last segment: " + path);
                }
            }
            this.literalSegments = literal;
        }

        Map<String, String> match(String[] actual) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.endsWith("...}")) {
                    if (i >= actual.length) {
                        return null;
                    }
                    params.put(
                            s.substring(1, s.length() - 4),
                            String.join("/", List.of(actual).subList(i, actual.length)));
                    return params;
                }
                if (i >= actual.length) {
                    return null;
                }
                if (s.startsWith("{") && s.endsWith("}")) {
                    params.put(s.substring(1, s.length() - 1), actual[i]);
                } else if (!s.equals(actual[i])) {
                    return null;
                }
            }
            return actual.length == segments.length ? params : null;
        }
    }
}
