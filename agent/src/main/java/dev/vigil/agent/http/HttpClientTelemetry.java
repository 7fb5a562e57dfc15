package dev.vigil.agent.http;

import dev.vigil.agent.bootstrap.HttpClientBridge;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.ErrorRecorder;
import dev.vigil.agent.metrics.TimerTable;
import dev.vigil.agent.trace.SpanAttributes;
import dev.vigil.agent.trace.TraceContextPropagation;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;

/**
 * Turns client requests reported by the HTTP client instrumentations into CLIENT spans (children of
 * the current context, whose traceparent the instrumentation sends) and the
 * {@code http.client.request.duration} histogram. Failed calls — no response, 429 or 5xx — go to
 * the {@link ErrorRecorder} as {@link ErrorComponent#HTTP_CLIENT}.
 */
public final class HttpClientTelemetry implements HttpClientBridge.Handler {
    public static final String DURATION_METRIC = "http.client.request.duration";

    private final Tracer tracer;
    private final ErrorRecorder errors;
    private final TimerTable durations;

    public HttpClientTelemetry(Tracer tracer, MeterRegistry registry, ErrorRecorder errors) {
        this.tracer = tracer;
        this.errors = errors;
        this.durations = new TimerTable(
                registry,
                DURATION_METRIC,
                "Duration of HTTP client requests",
                "http.request.method",
                "server.address",
                "server.port",
                "http.response.status_code",
                "error.type");
    }

    /** State of one request between start and end. */
    static final class ClientRequest {
        final Span span;
        final Context context;
        final long startNanos;
        final String method;
        final String host;
        final String portLabel;

        ClientRequest(Span span, Context context, long startNanos, String method, String host, String portLabel) {
            this.span = span;
            this.context = context;
            this.startNanos = startNanos;
            this.method = method;
            this.host = host;
            this.portLabel = portLabel;
        }
    }

    @Override
    public Object start(String method, String url, String host, int port) {
        long start = System.nanoTime();
        String m = HttpSemantics.method(method);
        int effectivePort = port > 0 ? port : defaultPort(url);
        Context parent = Context.current();
        SpanBuilder builder = tracer.spanBuilder(m)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAttribute(SpanAttributes.HTTP_REQUEST_METHOD, m);
        if (!m.equals(method) && method != null) {
            builder.setAttribute(SpanAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        if (url != null) {
            builder.setAttribute(SpanAttributes.URL_FULL, redactUrl(url));
        }
        if (host != null) {
            builder.setAttribute(SpanAttributes.SERVER_ADDRESS, host);
        }
        if (effectivePort > 0) {
            builder.setAttribute(SpanAttributes.SERVER_PORT, (long) effectivePort);
        }
        Span span = builder.startSpan();
        return new ClientRequest(
                span, parent.with(span), start, m, host, effectivePort > 0 ? portLabel(effectivePort) : "");
    }

    @Override
    public String[] propagationHeaders(Object request) {
        return TraceContextPropagation.inject(((ClientRequest) request).context);
    }

    @Override
    public void end(Object request, int status, Throwable error) {
        ClientRequest r = (ClientRequest) request;
        long duration = System.nanoTime() - r.startNanos;
        try {
            String errorType = null;
            if (status > 0) {
                r.span.setAttribute(SpanAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            }
            if (status >= 400) {
                // A response arrived: its status is the outcome, not the IOException HttpURLConnection throws for it.
                errorType = Integer.toString(status);
                r.span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                if (status == 429 || status >= 500) {
                    errors.recordStatus(r.span, status, ErrorComponent.HTTP_CLIENT);
                } else {
                    r.span.setStatus(StatusCode.ERROR);
                }
            } else if (error != null) {
                errorType = error.getClass().getName();
                r.span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                errors.record(r.span, error, ErrorComponent.HTTP_CLIENT);
            }
            recordDuration(duration, r, status, errorType);
        } finally {
            r.span.end();
        }
    }

    private void recordDuration(long nanos, ClientRequest r, int status, String errorType) {
        durations
                .timer(
                        r.method,
                        r.host == null ? "" : r.host,
                        r.portLabel,
                        HttpSemantics.statusLabel(status),
                        errorType == null ? "" : errorType)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Ports as labels; the common ones without allocating. */
    private static String portLabel(int port) {
        switch (port) {
            case 80:
                return "80";
            case 443:
                return "443";
            default:
                return Integer.toString(port);
        }
    }

    private static int defaultPort(String url) {
        if (url == null) {
            return -1;
        }
        if (url.regionMatches(true, 0, "https:", 0, 6)) {
            return 443;
        }
        return url.regionMatches(true, 0, "http:", 0, 5) ? 80 : -1;
    }

    /** The URL without user info, with secret-looking query values masked. */
    static String redactUrl(String url) {
        String u = url;
        int scheme = u.indexOf("://");
        if (scheme > 0) {
            int hostStart = scheme + 3;
            int pathStart = indexOfAny(u, hostStart, '/', '?', '#');
            int at = u.lastIndexOf('@', pathStart < 0 ? u.length() - 1 : pathStart - 1);
            if (at >= hostStart) {
                u = u.substring(0, hostStart) + "REDACTED:REDACTED@" + u.substring(at + 1);
            }
        }
        int q = u.indexOf('?');
        if (q < 0) {
            return u;
        }
        int fragment = u.indexOf('#', q);
        String query = fragment < 0 ? u.substring(q + 1) : u.substring(q + 1, fragment);
        String redacted = HttpSemantics.redactQuery(query);
        if (redacted.equals(query)) {
            return u;
        }
        return u.substring(0, q + 1) + redacted + (fragment < 0 ? "" : u.substring(fragment));
    }

    private static int indexOfAny(String s, int from, char a, char b, char c) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == a || ch == b || ch == c) {
                return i;
            }
        }
        return -1;
    }
}
