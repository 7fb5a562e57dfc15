package dev.vigil.agent.bootstrap;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Client-side HTTP: called by the advice of the HTTP client instrumentations (JDK HttpClient,
 * HttpURLConnection). The advice passes plain values; the agent core makes a CLIENT span, the
 * {@code http.client.request.duration} histogram and reports failures.
 */
public final class HttpClientBridge {
    /** Implemented by the agent core. */
    public interface Handler {
        /** Starts a client request as a child of the current context; returns an opaque handle. */
        Object start(String method, String url, String host, int port);

        /** {traceparent, tracestate} to send for the request; an entry is null when there is nothing to send. */
        String[] propagationHeaders(Object request);

        /** Ends the request with the response status (0 when none arrived) and the failure, if any. */
        void end(Object request, int status, Throwable error);
    }

    /** Accepts every header: the values Vigil adds are valid, and the user's were checked when the request was built. */
    public static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

    private static volatile Handler handler;

    /** The request whose headers the JDK HttpClient is copying on this thread (inside sendAsync). */
    private static final ThreadLocal<Object> SENDING = new ThreadLocal<>();

    /** HttpURLConnection in flight: a connection is set up by one call and answered by a later one. */
    private static final WeakRegistry<Object> CONNECTIONS = new WeakRegistry<>();

    private HttpClientBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /** Starts a client request; null when the agent is not ready, the thread is the agent's own, or tracing is off. */
    public static Object start(String method, String url, String host, int port) {
        Handler h = handler;
        if (h == null || Suppression.active()) {
            return null;
        }
        return h.start(method, url, host, port);
    }

    public static void end(Object request, int status, Throwable error) {
        Handler h = handler;
        if (h != null && request != null) {
            h.end(request, status, error);
        }
    }

    /** The traceparent header value for the request, or null. */
    public static String traceparent(Object request) {
        Handler h = handler;
        if (h == null || request == null) {
            return null;
        }
        String[] headers = h.propagationHeaders(request);
        return headers == null ? null : headers[0];
    }

    // --- java.net.http.HttpClient ------------------------------------------------------------------

    /** Marks the request whose headers are copied on this thread from now on; null clears it. */
    public static void sending(Object request) {
        if (request == null) {
            SENDING.remove();
        } else {
            SENDING.set(request);
        }
    }

    /**
     * The user's headers plus traceparent/tracestate of the request being sent on this thread, or
     * null when there is nothing to add (no request in flight, or the caller set traceparent itself).
     */
    public static Map<String, List<String>> withPropagation(Map<String, List<String>> userHeaders) {
        Object request = SENDING.get();
        Handler h = handler;
        if (request == null || h == null) {
            return null;
        }
        String[] propagation = h.propagationHeaders(request);
        if (propagation == null || propagation[0] == null) {
            return null;
        }
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        out.putAll(userHeaders);
        if (out.containsKey("traceparent")) {
            return null;
        }
        out.put("traceparent", Collections.singletonList(propagation[0]));
        if (propagation[1] != null && !out.containsKey("tracestate")) {
            out.put("tracestate", Collections.singletonList(propagation[1]));
        }
        return out;
    }

    /** Ends the request when the response future of {@code HttpClient.sendAsync} completes. */
    public static BiConsumer<Object, Throwable> completion(Object request) {
        return new HttpResponseCompletion(request);
    }

    // --- HttpURLConnection -------------------------------------------------------------------------

    /** The request already started for this connection, or null. */
    public static Object connectionRequest(Object connection) {
        return CONNECTIONS.get(connection);
    }

    /** Starts the request of a connection that is about to connect. */
    public static Object startConnection(Object connection, String method, String url, String host, int port) {
        Object request = start(method, url, host, port);
        if (request != null) {
            CONNECTIONS.put(connection, request);
        }
        return request;
    }

    /** Ends the connection's request once its response (or failure) is known. */
    public static void endConnection(Object connection, Object request, int status, Throwable error) {
        if (CONNECTIONS.remove(connection) == request) {
            end(request, status, error);
        }
    }
}
