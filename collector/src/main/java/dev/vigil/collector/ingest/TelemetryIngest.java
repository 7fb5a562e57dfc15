package dev.vigil.collector.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.errors.ErrorOccurrence;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns decoded OTLP requests into state: error occurrences (span exception events, log records
 * with an exception or {@code vigil.error.*}), metric samples, heartbeats, and log events for the
 * ingest listeners. Spans themselves are not stored: tracing backends are for that.
 */
public final class TelemetryIngest {
    /** Event name of the log record a Vigil agent sends when its JVM shuts down gracefully. */
    public static final String AGENT_STOPPED_EVENT = "vigil.agent.stopped";

    private final ErrorGroups errorGroups;
    private final MetricWindows metricWindows;
    private final Instances instances;
    private final IngestListeners listeners;
    private final Clock clock;
    private final Map<OtlpSignal, Counter> accepted = new HashMap<>();
    private final Map<OtlpSignal, Counter> rejected = new HashMap<>();
    private final CountedFailures counted = new CountedFailures();

    public TelemetryIngest(
            ErrorGroups errorGroups,
            MetricWindows metricWindows,
            Instances instances,
            IngestListeners listeners,
            MeterRegistry registry,
            Clock clock) {
        this.errorGroups = requireNonNull(errorGroups, "errorGroups");
        this.metricWindows = requireNonNull(metricWindows, "metricWindows");
        this.instances = requireNonNull(instances, "instances");
        this.listeners = requireNonNull(listeners, "listeners");
        this.clock = requireNonNull(clock, "clock");
        for (OtlpSignal s : OtlpSignal.values()) {
            accepted.put(
                    s,
                    Counter.builder("vigil.collector.ingest.items")
                            .tag("signal", s.label())
                            .tag("outcome", "accepted")
                            .description("Spans, log records and metric data points received")
                            .register(registry));
            rejected.put(
                    s,
                    Counter.builder("vigil.collector.ingest.items")
                            .tag("signal", s.label())
                            .tag("outcome", "rejected")
                            .description("Spans, log records and metric data points received")
                            .register(registry));
        }
    }

    public IngestResult traces(ExportTraceServiceRequest request) {
        List<ErrorOccurrence> errors = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long spans = 0;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            ResourceIdentity who = ResourceIdentity.of(rs.getResource());
            instances.seen(who.heartbeat());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans++;
                    collectSpanErrors(who, span, errors, keys);
                }
            }
        }
        accepted.get(OtlpSignal.TRACES).increment(spans);
        return new IngestResult(spans, 0, "", record(errors, keys, OtlpSignal.TRACES));
    }

    public IngestResult logs(ExportLogsServiceRequest request) {
        List<ErrorOccurrence> errors = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long records = 0;
        for (ResourceLogs rl : request.getResourceLogsList()) {
            ResourceIdentity who = ResourceIdentity.of(rl.getResource());
            instances.seen(who.heartbeat());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord r : sl.getLogRecordsList()) {
                    records++;
                    logRecord(who, r, errors, keys);
                }
            }
        }
        accepted.get(OtlpSignal.LOGS).increment(records);
        return new IngestResult(records, 0, "", record(errors, keys, OtlpSignal.LOGS));
    }

    public IngestResult metrics(ExportMetricsServiceRequest request) {
        MetricPoints points = new MetricPoints(metricWindows, clock);
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            ResourceIdentity who = ResourceIdentity.of(rm.getResource());
            instances.seen(who.heartbeat());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    points.add(who, m);
                }
            }
        }
        accepted.get(OtlpSignal.METRICS).increment(points.accepted());
        rejected.get(OtlpSignal.METRICS).increment(points.rejected());
        return new IngestResult(
                points.accepted(), points.rejected(), points.reasons(), CompletableFuture.completedFuture(null));
    }

    /** Records the occurrences; once committed, their keys mark them as counted for the other signal. */
    private CompletableFuture<Void> record(List<ErrorOccurrence> errors, List<String> keys, OtlpSignal signal) {
        CompletableFuture<Void> done = errorGroups.record(errors);
        if (!keys.isEmpty()) {
            done.thenRun(() -> counted.remember(keys, signal));
        }
        return done;
    }

    /** Whether the failure was counted from the other signal; otherwise its key is kept for later. */
    private boolean repeat(String key, OtlpSignal signal, List<String> keys) {
        if (key == null) {
            return false;
        }
        if (counted.countedByOtherSignal(key, signal)) {
            return true;
        }
        keys.add(key);
        return false;
    }

    // ---- traces ----------------------------------------------------------------------------

    private void collectSpanErrors(ResourceIdentity who, Span span, List<ErrorOccurrence> out, List<String> keys) {
        String traceId = AttributeText.hex(span.getTraceId());
        String spanId = AttributeText.hex(span.getSpanId());
        List<KeyValue> spanAttributes = span.getAttributesList();
        boolean found = false;
        for (Span.Event e : span.getEventsList()) {
            if (!"exception".equals(e.getName())) {
                continue;
            }
            List<KeyValue> a = e.getAttributesList();
            String type = AttributeText.get(a, "exception.type");
            String message = AttributeText.get(a, "exception.message");
            String stack = AttributeText.get(a, "exception.stacktrace");
            if (type == null && stack == null && message == null) {
                continue;
            }
            found = true;
            String fingerprint = vigil(a, spanAttributes, "vigil.error.fingerprint");
            String errorType = type != null ? type : typeFromStack(stack);
            String key = CountedFailures.key(traceId, spanId, fingerprint != null ? fingerprint : errorType);
            out.add(new ErrorOccurrence(
                    who.service(),
                    time(e.getTimeUnixNano(), span.getEndTimeUnixNano()),
                    fingerprint,
                    errorType,
                    message,
                    stack,
                    vigil(a, spanAttributes, "vigil.error.category"),
                    AttributeText.bool(vigil(a, spanAttributes, "vigil.error.retryable")),
                    traceId,
                    null,
                    repeat(key, OtlpSignal.TRACES, keys)));
        }
        // a failure known only by its status (a 5xx answer): the agent puts vigil.error.* on the span
        String category = AttributeText.get(spanAttributes, "vigil.error.category");
        if (!found && category != null) {
            String fingerprint = AttributeText.get(spanAttributes, "vigil.error.fingerprint");
            String type = nonEmpty(
                    AttributeText.get(spanAttributes, "vigil.error.type"),
                    nonEmpty(AttributeText.get(spanAttributes, "error.type"), "error"));
            String message = span.getStatus().getMessage().isEmpty()
                    ? null
                    : span.getStatus().getMessage();
            out.add(new ErrorOccurrence(
                    who.service(),
                    time(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()),
                    fingerprint,
                    type,
                    message,
                    null,
                    category,
                    AttributeText.bool(AttributeText.get(spanAttributes, "vigil.error.retryable")),
                    traceId,
                    null,
                    repeat(
                            CountedFailures.key(traceId, spanId, fingerprint != null ? fingerprint : type),
                            OtlpSignal.TRACES,
                            keys)));
        }
    }

    /** An attribute of the event, else of the span. */
    private static String vigil(List<KeyValue> event, List<KeyValue> span, String key) {
        String v = AttributeText.get(event, key);
        return v != null ? v : AttributeText.get(span, key);
    }

    // ---- logs ------------------------------------------------------------------------------

    private void logRecord(ResourceIdentity who, LogRecord r, List<ErrorOccurrence> out, List<String> keys) {
        List<KeyValue> a = r.getAttributesList();
        String eventName = r.getEventName().isEmpty() ? AttributeText.get(a, "event.name") : r.getEventName();
        if (AGENT_STOPPED_EVENT.equals(eventName)) {
            instances.stopped(who.heartbeat());
            return;
        }
        String body = AttributeText.text(r.getBody());
        String traceId = AttributeText.hex(r.getTraceId());
        Instant time = time(r.getTimeUnixNano(), r.getObservedTimeUnixNano());
        String type = AttributeText.get(a, "exception.type");
        String stack = AttributeText.get(a, "exception.stacktrace");
        String fingerprint = AttributeText.get(a, "vigil.error.fingerprint");
        String category = AttributeText.get(a, "vigil.error.category");
        if (type != null || stack != null || fingerprint != null || category != null) {
            String message = AttributeText.get(a, "exception.message");
            String errorType = type != null
                    ? type
                    : stack != null
                            ? typeFromStack(stack)
                            : nonEmpty(
                                    AttributeText.get(a, "vigil.error.type"),
                                    nonEmpty(AttributeText.get(a, "error.type"), "error"));
            String key = CountedFailures.key(
                    traceId, AttributeText.hex(r.getSpanId()), fingerprint != null ? fingerprint : errorType);
            out.add(new ErrorOccurrence(
                    who.service(),
                    time,
                    fingerprint,
                    errorType,
                    message != null ? message : body,
                    stack,
                    category,
                    AttributeText.bool(AttributeText.get(a, "vigil.error.retryable")),
                    traceId,
                    body,
                    repeat(key, OtlpSignal.LOGS, keys)));
        }
        if (!listeners.isEmpty()) {
            Map<String, String> attributes = new HashMap<>();
            for (KeyValue kv : a) {
                attributes.put(kv.getKey(), AttributeText.text(kv.getValue()));
            }
            listeners.logRecord(new LogEvent(
                    who.service(),
                    who.instance(),
                    time,
                    r.getSeverityNumberValue(),
                    r.getSeverityText(),
                    body,
                    Map.copyOf(attributes),
                    traceId == null ? "" : traceId));
        }
    }

    // ---- metrics ---------------------------------------------------------------------------

    private Instant time(long nanos, long fallbackNanos) {
        long n = nanos != 0 ? nanos : fallbackNanos;
        return n == 0 ? clock.instant() : Instant.ofEpochSecond(0, n);
    }

    /** The first line's class name of a printed stack trace. */
    private static String typeFromStack(String stack) {
        if (stack == null) {
            return "error";
        }
        String first = stack.strip().lines().findFirst().orElse("error");
        int colon = first.indexOf(':');
        String t = (colon >= 0 ? first.substring(0, colon) : first).trim();
        return t.isEmpty() || t.contains(" ") ? "error" : t;
    }

    private static String nonEmpty(String s, String fallback) {
        return s == null || s.isEmpty() ? fallback : s;
    }
}
