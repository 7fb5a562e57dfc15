package dev.vigil.agent.businessmetrics;

import java.util.function.Function;

/**
 * The {@code error.category} tag from the exception's type alone, by the simple names of the
 * exception and its superclasses. The agent's error classifier gives the same categories with more
 * knowledge (SQL states, HTTP statuses); this one is used where that one is not available.
 */
final class FallbackErrorCategory implements Function<Throwable, String> {
    static final FallbackErrorCategory INSTANCE = new FallbackErrorCategory();

    private FallbackErrorCategory() {}

    @Override
    public String apply(Throwable error) {
        for (Class<?> c = error.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
            String category = bySimpleName(c.getSimpleName());
            if (category != null) {
                return category;
            }
        }
        return "internal";
    }

    private static String bySimpleName(String name) {
        if (name.contains("Timeout") || name.contains("TimedOut")) {
            return "timeout";
        }
        if (name.equals("ConnectException")
                || name.equals("UnknownHostException")
                || name.equals("NoRouteToHostException")
                || name.contains("Unavailable")) {
            return "unavailable";
        }
        if (name.equals("IllegalArgumentException")
                || name.contains("Validation")
                || name.contains("Invalid")
                || name.equals("DateTimeParseException")) {
            return "invalid_input";
        }
        if (name.contains("NotFound") || name.equals("NoSuchElementException")) {
            return "not_found";
        }
        if (name.equals("SecurityException")
                || name.contains("AccessDenied")
                || name.contains("Unauthorized")
                || name.contains("Authentication")
                || name.contains("Forbidden")) {
            return "auth";
        }
        if (name.equals("SQLException") || name.contains("DataAccess")) {
            return "database";
        }
        if (name.equals("IOException")) {
            return "io";
        }
        if (name.equals("IllegalStateException") || name.equals("ConcurrentModificationException")) {
            return "state";
        }
        if (name.equals("OutOfMemoryError") || name.equals("StackOverflowError")) {
            return "resource_exhausted";
        }
        return null;
    }
}
