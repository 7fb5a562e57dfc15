package dev.vigil.agent.instrumentation.jdkhttpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.HttpServerBridge;
import java.net.InetSocketAddress;
import java.net.URI;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Filter.Chain.doFilter(HttpExchange)}. */
public final class FilterChainAdvice {
    private FilterChainAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) HttpExchange exchange) {
        if (CallDepth.HTTP_SERVER.enter() > 0) {
            return null;
        }
        URI uri = exchange.getRequestURI();
        InetSocketAddress local = exchange.getLocalAddress();
        InetSocketAddress remote = exchange.getRemoteAddress();
        String host = exchange.getRequestHeaders().getFirst("Host");
        return HttpServerBridge.start(
                exchange.getRequestMethod(),
                exchange instanceof HttpsExchange ? "https" : "http",
                host != null ? host : (local == null ? null : local.getHostString()),
                local == null ? 0 : local.getPort(),
                uri == null ? null : uri.getRawPath(),
                uri == null ? null : uri.getRawQuery(),
                exchange.getHttpContext().getPath(),
                remote == null || remote.getAddress() == null
                        ? null
                        : remote.getAddress().getHostAddress(),
                exchange.getRequestHeaders().getFirst("User-Agent"),
                exchange.getRequestHeaders().getFirst("traceparent"),
                exchange.getRequestHeaders().getFirst("tracestate"));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter Object request, @Advice.Argument(0) HttpExchange exchange, @Advice.Thrown Throwable error) {
        if (CallDepth.HTTP_SERVER.exit() > 0 || request == null) {
            return;
        }
        HttpServerBridge.end(request, exchange.getResponseCode(), error);
    }
}
