package dev.vigil.agent.instrumentation.javahttpclient;

import dev.vigil.agent.bootstrap.HttpClientBridge;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructor of {@code jdk.internal.net.http.HttpRequestImpl(HttpRequest,
 * ProxySelector)}, the client's own copy of the user's request: adds traceparent to its user
 * headers when the copy is made inside an instrumented send. The user's request object is untouched.
 */
public final class RequestHeadersAdvice {
    private RequestHeadersAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.FieldValue(value = "userHeaders", readOnly = false) HttpHeaders userHeaders) {
        if (userHeaders == null) {
            return;
        }
        Map<String, List<String>> withTraceContext = HttpClientBridge.withPropagation(userHeaders.map());
        if (withTraceContext != null) {
            userHeaders = HttpHeaders.of(withTraceContext, HttpClientBridge.ALL_HEADERS);
        }
    }
}
