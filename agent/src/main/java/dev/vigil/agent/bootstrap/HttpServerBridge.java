package dev.vigil.agent.bootstrap;

/**
 * Server-side HTTP: called by the advice of every HTTP server instrumentation (Servlet, JDK
 * HttpServer, ...). The advice extracts plain values from the server's own request type and passes
 * them here; the agent core turns them into a SERVER span, metrics and classified errors.
 */
public final class HttpServerBridge {
    /** Implemented by the agent core. */
    public interface Handler {
        Object start(
                String method,
                String scheme,
                String serverAddress,
                int serverPort,
                String path,
                String query,
                String route,
                String clientAddress,
                String userAgent,
                String traceparent,
                String tracestate);

        void route(Object request, String route);

        void detach(Object request);

        void end(Object request, int status, Throwable error);
    }

    private static volatile Handler handler;

    private HttpServerBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /**
     * Starts a server request; returns an opaque handle for {@link #end}, or null when the agent is
     * not ready, the thread is suppressed, or tracing is off.
     */
    public static Object start(
            String method,
            String scheme,
            String serverAddress,
            int serverPort,
            String path,
            String query,
            String route,
            String clientAddress,
            String userAgent,
            String traceparent,
            String tracestate) {
        Handler h = handler;
        if (h == null || Suppression.active()) {
            return null;
        }
        return h.start(
                method,
                scheme,
                serverAddress,
                serverPort,
                path,
                query,
                route,
                clientAddress,
                userAgent,
                traceparent,
                tracestate);
    }

    /** Sets the low-cardinality route template once the server knows it (e.g. the servlet mapping). */
    public static void route(Object request, String route) {
        Handler h = handler;
        if (h != null && request != null && route != null) {
            h.route(request, route);
        }
    }

    /**
     * The request goes on after the current call returns (an async servlet): its context stops being
     * current on this thread, and {@link #end} will come later, from whichever thread completes it.
     */
    public static void detach(Object request) {
        Handler h = handler;
        if (h != null && request != null) {
            h.detach(request);
        }
    }

    /** Ends the request with its status code (0 if unknown) and the escaping throwable, if any. */
    public static void end(Object request, int status, Throwable error) {
        Handler h = handler;
        if (h != null && request != null) {
            h.end(request, status, error);
        }
    }
}
