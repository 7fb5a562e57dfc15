package dev.vigil.agent.http;

import dev.vigil.agent.bootstrap.HttpServerBridge;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.ErrorRecorder;
import dev.vigil.agent.metrics.TimerTable;
import dev.vigil.agent.trace.SpanAttributes;
import dev.vigil.agent.trace.TraceContextPropagation;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;

/**
 * Turns server requests reported by the HTTP server instrumentations into SERVER spans (with the
 * remote parent from {@code traceparent}) and the {@code http.server.request.duration} histogram.
 */
public final class HttpServerTelemetry implements HttpServerBridge.Handler {
    public static final String DURATION_METRIC = "http.server.request.duration";

    private final Tracer tracer;
    private final ErrorRecorder errors;
    private final TimerTable durations;

    public HttpServerTelemetry(Tracer tracer, MeterRegistry registry, ErrorRecorder errors) {
        this.tracer = tracer;
        this.errors = errors;
        this.durations = new TimerTable(
                registry,
                DURATION_METRIC,
                "Duration of HTTP server requests",
                "http.request.method",
                "http.route",
                "http.response.status_code",
                "error.type");
    }

    /** State of one request between start and end. */
    static final class ServerRequest {
        final Span span;
        /** Open on the thread that started the request until it ends or is detached; null after. */
        volatile Scope scope;

        final long startNanos;
        final String method;
        volatile String route;

        ServerRequest(Span span, Scope scope, long startNanos, String method, String route) {
            this.span = span;
            this.scope = scope;
            this.startNanos = startNanos;
            this.method = method;
            this.route = route;
        }
    }

    @Override
    public Object start(
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
        long start = System.nanoTime();
        String m = HttpSemantics.method(method);
        Context parent = TraceContextPropagation.extract(traceparent, tracestate);
        SpanBuilder builder = tracer.spanBuilder(route == null ? m : m + " " + route)
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute(SpanAttributes.HTTP_REQUEST_METHOD, m);
        if (!m.equals(method) && method != null) {
            builder.setAttribute(SpanAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        setIfPresent(builder, SpanAttributes.URL_SCHEME, scheme);
        setIfPresent(builder, SpanAttributes.URL_PATH, path);
        setIfPresent(builder, SpanAttributes.URL_QUERY, HttpSemantics.redactQuery(query));
        setIfPresent(builder, SpanAttributes.HTTP_ROUTE, route);
        setIfPresent(builder, SpanAttributes.SERVER_ADDRESS, HttpSemantics.hostOnly(serverAddress));
        if (serverPort > 0) {
            builder.setAttribute(SpanAttributes.SERVER_PORT, (long) serverPort);
        }
        setIfPresent(builder, SpanAttributes.CLIENT_ADDRESS, clientAddress);
        setIfPresent(builder, SpanAttributes.USER_AGENT_ORIGINAL, userAgent);
        Span span = builder.startSpan();
        Scope scope = parent.with(span).makeCurrent();
        return new ServerRequest(span, scope, start, m, route);
    }

    @Override
    public void route(Object request, String route) {
        ServerRequest r = (ServerRequest) request;
        r.route = route;
        r.span.setAttribute(SpanAttributes.HTTP_ROUTE, route);
        r.span.updateName(r.method + " " + route);
    }

    @Override
    public void detach(Object request) {
        ServerRequest r = (ServerRequest) request;
        Scope scope = r.scope;
        if (scope != null) {
            r.scope = null;
            scope.close();
        }
    }

    @Override
    public void end(Object request, int status, Throwable error) {
        ServerRequest r = (ServerRequest) request;
        long duration = System.nanoTime() - r.startNanos;
        try {
            int effectiveStatus = status;
            if (error != null && effectiveStatus < 400) {
                effectiveStatus = 500; // the server answers an escaping exception with 500 (or a reset)
            }
            String errorType = null;
            if (effectiveStatus > 0) {
                r.span.setAttribute(SpanAttributes.HTTP_RESPONSE_STATUS_CODE, (long) effectiveStatus);
            }
            if (error != null) {
                errorType = error.getClass().getName();
                r.span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                errors.record(r.span, error, ErrorComponent.HTTP_SERVER);
            } else if (effectiveStatus >= 500) {
                errorType = Integer.toString(effectiveStatus);
                r.span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                errors.recordStatus(r.span, effectiveStatus, ErrorComponent.HTTP_SERVER);
            }
            recordDuration(duration, r.method, r.route, effectiveStatus, errorType);
        } finally {
            detach(r); // a detached (async) request ends on another thread, whose context is not ours to close
            r.span.end();
        }
    }

    private void recordDuration(long nanos, String method, String route, int status, String errorType) {
        durations
                .timer(
                        method,
                        route == null ? "" : route,
                        HttpSemantics.statusLabel(status),
                        errorType == null ? "" : errorType)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static void setIfPresent(SpanBuilder b, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            b.setAttribute(key, value);
        }
    }
}
