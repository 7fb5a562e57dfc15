package dev.vigil.agent.bootstrap;

/**
 * The {@code http.route} of a servlet request, from the servlet mapping that matched it
 * ({@code HttpServletMapping}): a template such as {@code /shop/users/*}, never the raw path, so
 * the metric label stays bounded whatever URLs clients send.
 */
public final class ServletRoutes {
    private ServletRoutes() {}

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
