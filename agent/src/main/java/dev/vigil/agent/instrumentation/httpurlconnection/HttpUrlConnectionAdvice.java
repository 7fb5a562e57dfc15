package dev.vigil.agent.instrumentation.httpurlconnection;

import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.HttpClientBridge;
import java.net.HttpURLConnection;
import java.net.URL;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code connect}, {@code getOutputStream} and {@code getInputStream} of the JDK's
 * HTTP(S) connection. The first of them on an unconnected connection starts the request and adds
 * traceparent (headers can only be set before connecting); {@code getInputStream} (which
 * {@code getResponseCode} uses) ends it with the status, and any of them ends it when it fails.
 */
public final class HttpUrlConnectionAdvice {
    private HttpUrlConnectionAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
            @Advice.This HttpURLConnection connection, @Advice.FieldValue("connected") boolean connected) {
        if (CallDepth.HTTP_CLIENT.enter() > 0) {
            return null;
        }
        Object handle = HttpClientBridge.connectionRequest(connection);
        if (handle != null || connected) {
            return handle; // started by an earlier call, or connected before the agent was attached
        }
        URL url = connection.getURL();
        handle = HttpClientBridge.startConnection(
                connection, connection.getRequestMethod(), url.toString(), url.getHost(), url.getPort());
        String traceparent = HttpClientBridge.traceparent(handle);
        if (traceparent != null && connection.getRequestProperty("traceparent") == null) {
            connection.setRequestProperty("traceparent", traceparent);
        }
        return handle;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter Object handle,
            @Advice.This HttpURLConnection connection,
            @Advice.Origin("#m") String method,
            @Advice.FieldValue("responseCode") int responseCode,
            @Advice.Thrown Throwable error) {
        if (CallDepth.HTTP_CLIENT.exit() > 0 || handle == null) {
            return;
        }
        if (error != null || "getInputStream".equals(method)) {
            HttpClientBridge.endConnection(connection, handle, Math.max(responseCode, 0), error);
        }
    }
}
