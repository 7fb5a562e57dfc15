package dev.vigil.agent.bootstrap;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code http.route} of a servlet request, from the servlet mapping that matched it
 * ({@code HttpServletMapping}): a template such as {@code /shop/users/*}, never the raw path, so
 * the metric label stays bounded whatever URLs clients send.
 */
public final class ServletRoutes {
    /** Routes by context path, then by pattern: both come from deployment descriptors, so there are few. */
    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> CACHE = new ConcurrentHashMap<>();
    /** Bound on each level, in case a container reports something unexpected as a path or pattern. */
    private static final int MAX_CACHED = 1024;

    private ServletRoutes() {}

    /** {@link #route}, remembered so that a request does not build the same string again. */
    public static String cachedRoute(String contextPath, String pattern, String matchType) {
        if (contextPath == null || pattern == null || matchType == null) {
            return route(contextPath, pattern, matchType);
        }
        ConcurrentHashMap<String, String> byPattern = CACHE.get(contextPath);
        if (byPattern == null) {
            if (CACHE.size() >= MAX_CACHED) {
                return route(contextPath, pattern, matchType);
            }
            byPattern = CACHE.computeIfAbsent(contextPath, k -> new ConcurrentHashMap<>());
        }
        // The pattern alone tells the match type: "" context root, "/" default, "*.x" extension, "/x/*" path.
        String route = byPattern.get(pattern);
        if (route == null) {
            route = route(contextPath, pattern, matchType);
            if (route != null && byPattern.size() < MAX_CACHED) {
                byPattern.putIfAbsent(pattern, route);
            }
        }
        return route;
    }

    /**
     * @param contextPath the application's context path ("" for the root application)
     * @param pattern the mapping's pattern ({@code /users/*}, {@code *.do}, {@code /hello}, "" or {@code /})
     * @param matchType the name of the {@code MappingMatch} constant
     * @return the route, or null when the mapping says nothing useful
     */
    public static String route(String contextPath, String pattern, String matchType) {
        String context = contextPath == null ? "" : contextPath;
        if (matchType == null) {
            return null;
        }
        switch (matchType) {
            case "CONTEXT_ROOT":
                return context + "/";
            case "DEFAULT":
                // The default servlet answers every path nothing else claims (static files, 404s).
                return context + "/*";
            case "EXTENSION":
                return pattern == null ? null : context + "/" + pattern;
            case "EXACT":
            case "PATH":
                return pattern == null || pattern.isEmpty() ? null : context + pattern;
            default:
                return null;
        }
    }
}
