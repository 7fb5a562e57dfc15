package dev.vigil.agent.instrumentation.servlet;

import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.HttpServerBridge;
import dev.vigil.agent.bootstrap.ServletAsyncListener;
import dev.vigil.agent.bootstrap.ServletRoutes;
import java.lang.reflect.Proxy;
import javax.servlet.AsyncListener;
import javax.servlet.DispatcherType;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code javax.servlet.Servlet.service} and {@code javax.servlet.Filter.doFilter}
 * implementations. The outermost call on the thread is the request (the first filter, or the servlet
 * when there is none); forwards, includes and nested filters run inside it and are not recorded.
 * Kept in step with {@link JakartaServletAdvice}, which differs only in the package of the API.
 */
public final class JavaxServletAdvice {
    private JavaxServletAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ServletRequest servletRequest) {
        if (CallDepth.HTTP_SERVER.enter() > 0
                || !(servletRequest instanceof HttpServletRequest)
                || servletRequest.getDispatcherType() != DispatcherType.REQUEST) {
            // ASYNC and ERROR dispatches belong to a request whose span is already open (or done).
            return null;
        }
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        String route = null;
        try {
            HttpServletMapping mapping = request.getHttpServletMapping();
            if (mapping != null && mapping.getMappingMatch() != null) {
                route = ServletRoutes.cachedRoute(
                        request.getContextPath(),
                        mapping.getPattern(),
                        mapping.getMappingMatch().name());
            }
        } catch (LinkageError servletApiOlderThan4) {
            // no mapping API: the span keeps the method-only name and no route
        }
        return HttpServerBridge.start(
                request.getMethod(),
                request.getScheme(),
                request.getServerName(),
                request.getServerPort(),
                request.getRequestURI(),
                request.getQueryString(),
                route,
                request.getRemoteAddr(),
                request.getHeader("User-Agent"),
                request.getHeader("traceparent"),
                request.getHeader("tracestate"));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter Object handle,
            @Advice.Argument(0) ServletRequest request,
            @Advice.Argument(1) ServletResponse response,
            @Advice.Thrown Throwable error) {
        if (CallDepth.HTTP_SERVER.exit() > 0 || handle == null) {
            return;
        }
        if (error == null && request.isAsyncStarted()) {
            try {
                request.getAsyncContext().addListener((AsyncListener) Proxy.newProxyInstance(
                        AsyncListener.class.getClassLoader(),
                        new Class<?>[] {AsyncListener.class},
                        new ServletAsyncListener(handle, response, HttpServletResponse.class)));
                HttpServerBridge.detach(handle);
                return;
            } catch (IllegalStateException alreadyCompleted) {
                // the async cycle ended before the listener could be added: end the request now
            }
        }
        HttpServerBridge.end(
                handle,
                response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : 0,
                error);
    }
}
