package dev.vigil.agent.errors;

import static java.util.Objects.requireNonNull;

import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.redaction.Redactor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's {@link ErrorRecorder}: classifies and fingerprints each failure, puts it on the span
 * (error status and an {@code exception} event with the {@code vigil.error.*} attributes), counts it
 * in {@code vigil_errors_total{service,error_category,error_retryable,error_type}} and ships one OTLP
 * log record for it. A failure that several layers report on one request is counted and shipped
 * once (see {@link SeenFailures}); each span still gets its own status and event.
 *
 * <p>Runs on application threads: it never throws (a failure inside is logged once and dropped).
 */
public final class ClassifyingErrorRecorder implements ErrorRecorder {
    public static final AttributeKey<String> CATEGORY = AttributeKey.stringKey("vigil.error.category");
    public static final AttributeKey<Boolean> RETRYABLE = AttributeKey.booleanKey("vigil.error.retryable");
    public static final AttributeKey<String> FINGERPRINT = AttributeKey.stringKey("vigil.error.fingerprint");
    public static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("vigil.error.severity");
    public static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("vigil.error.component");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    /** Prometheus name {@code vigil_errors_total}. */
    public static final String METRIC = "vigil.errors";

    static final String OTHER = "other";
    private static final AgentLog LOG = AgentLog.get(ClassifyingErrorRecorder.class);

    private final ErrorClassifier classifier;
    private final InAppPolicy inApp;
    private final Redactor redactor;
    private final MeterRegistry registry;
    private final String service;
    private final int maxSeries;
    private final ErrorLogSink logSink;
    private final SeenFailures seen = new SeenFailures();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private ClassifyingErrorRecorder(Builder b) {
        this.classifier = b.classifier;
        this.inApp = b.inApp;
        this.redactor = b.redactor;
        this.registry = b.registry;
        this.service = b.service;
        this.maxSeries = b.maxSeries;
        this.logSink = b.logSink;
    }

    public static Builder builder(MeterRegistry registry, String service) {
        return new Builder(registry, service);
    }

    @Override
    public void record(Span span, Throwable error, ErrorComponent component) {
        record(span, error, 0, component);
    }

    @Override
    public void record(Span span, Throwable error, int httpStatus, ErrorComponent component) {
        if (error == null) {
            if (httpStatus > 0) {
                recordStatus(span, httpStatus, component);
            }
            return;
        }
        try {
            RecordedError recorded = recordThrowable(span, error, httpStatus, component, true);
            if (recorded != null && recorded.firstSighting()) {
                logSink.emitError(span.getSpanContext(), recorded);
            }
        } catch (Throwable t) {
            ErrorFingerprint.rethrowIfFatal(t);
            LOG.warnOnce("record-error", "could not record an application error; it is not counted", t);
        }
    }

    @Override
    public void recordStatus(Span span, int httpStatus, ErrorComponent component) {
        try {
            ErrorClassification c = classifier.classifyStatus(httpStatus, component);
            if (c.ignored()) {
                return;
            }
            span.setStatus(StatusCode.ERROR);
            span.setAllAttributes(Attributes.of(
                    CATEGORY, c.category().label(),
                    RETRYABLE, c.retryable(),
                    SEVERITY, c.severity().label(),
                    COMPONENT, component.label()));
            SpanContext ctx = span.getSpanContext();
            if (ctx.isValid()) {
                if (seen.traceFailed(ctx.getTraceId())) {
                    return; // the status reports a failure already counted on this request (an exception, a client
                    // call)
                }
                seen.markTraceFailed(ctx.getTraceId());
            }
            count(c);
            logSink.emitError(
                    span.getSpanContext(),
                    new RecordedError(c, null, c.errorType(), "HTTP status " + httpStatus, null, true));
        } catch (Throwable t) {
            ErrorFingerprint.rethrowIfFatal(t);
            LOG.warnOnce("record-status", "could not record an HTTP error status; it is not counted", t);
        }
    }

    /**
     * For the log pipeline: classifies, fingerprints and counts the throwable of a log event (on the
     * current span, if any, only as an event: logging an error does not fail the request). Emits no
     * log record of its own, since the log event is one. Returns null when a rule ignores it.
     */
    public RecordedError recordLogged(Throwable error) {
        try {
            return recordThrowable(Span.current(), error, 0, ErrorComponent.LOGGER, false);
        } catch (Throwable t) {
            ErrorFingerprint.rethrowIfFatal(t);
            LOG.warnOnce("record-logged", "could not record a logged error; it is not counted", t);
            return null;
        }
    }

    private RecordedError recordThrowable(
            Span span, Throwable error, int httpStatus, ErrorComponent component, boolean failsSpan) {
        ErrorClassification c = classifier.classify(error, httpStatus, component);
        if (c.ignored()) {
            return null;
        }
        SpanContext ctx = span.getSpanContext();
        Throwable[] chain = new Throwable[ErrorFingerprint.MAX_CHAIN];
        int length = chainOf(error, chain);
        SeenFailures.Seen before = seen.check(
                chain,
                length,
                ctx.isValid() ? ctx.getTraceId() : null,
                ctx.isValid() ? ctx.getSpanId() : null,
                Thread.currentThread().getId(),
                System.nanoTime());
        String fingerprint = ErrorFingerprint.of(error, inApp);
        RecordedError recorded = new RecordedError(
                c,
                fingerprint,
                error.getClass().getName(),
                redactor.redact(ErrorFingerprint.safeMessage(error)),
                StackTraceWriter.print(error, redactor::redact),
                before == SeenFailures.Seen.NEW);
        if (before != SeenFailures.Seen.SAME_SPAN && span.isRecording()) {
            if (failsSpan) {
                span.setStatus(StatusCode.ERROR, truncate(recorded.message()));
            }
            span.addEvent("exception", eventAttributes(recorded));
        }
        if (recorded.firstSighting()) {
            count(c);
            if (ctx.isValid()) {
                seen.markTraceFailed(ctx.getTraceId());
            }
        }
        return recorded;
    }

    static Attributes eventAttributes(RecordedError r) {
        ErrorClassification c = r.classification();
        AttributesBuilder b = Attributes.builder()
                .put(EXCEPTION_TYPE, r.exceptionType())
                .put(CATEGORY, c.category().label())
                .put(RETRYABLE, c.retryable())
                .put(SEVERITY, c.severity().label())
                .put(COMPONENT, c.component().label());
        if (r.fingerprint() != null) {
            b.put(FINGERPRINT, r.fingerprint());
        }
        if (r.message() != null) {
            b.put(EXCEPTION_MESSAGE, r.message());
        }
        if (r.stackTrace() != null) {
            b.put(EXCEPTION_STACKTRACE, r.stackTrace());
        }
        return b.build();
    }

    private void count(ErrorClassification c) {
        String retryable = Boolean.toString(c.retryable());
        String key = c.category().label() + '\u0000' + retryable + '\u0000' + c.errorType();
        Counter counter = counters.get(key);
        if (counter == null) {
            String type = c.errorType();
            if (counters.size() >= maxSeries) {
                // cardinality cap: new types share one series rather than growing /metrics without bound
                type = OTHER;
                key = c.category().label() + '\u0000' + retryable + '\u0000' + OTHER;
                counter = counters.get(key);
            }
            if (counter == null) {
                String errorType = type;
                counter = counters.computeIfAbsent(key, k -> Counter.builder(METRIC)
                        .description("Failures seen by the agent, each counted once per request, by classification")
                        .tags(
                                "service", service,
                                "error_category", c.category().label(),
                                "error_retryable", retryable,
                                "error_type", errorType)
                        .register(registry));
            }
        }
        counter.increment();
    }

    private static int chainOf(Throwable error, Throwable[] out) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int n = 0;
        for (Throwable t = error; t != null && n < out.length && seen.add(t); ) {
            out[n++] = t;
            try {
                t = t.getCause();
            } catch (Throwable e) {
                ErrorFingerprint.rethrowIfFatal(e);
                break;
            }
        }
        return n;
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 256 ? s : s.substring(0, 256);
    }

    /** Builds a recorder; only the registry and the service name are required. */
    public static final class Builder {
        private final MeterRegistry registry;
        private final String service;
        private ErrorClassifier classifier = ErrorClassifier.create();
        private InAppPolicy inApp = InAppPolicy.inferred();
        private Redactor redactor = Redactor.none();
        private int maxSeries = 100;
        private ErrorLogSink logSink = ErrorLogSink.NONE;

        private Builder(MeterRegistry registry, String service) {
            this.registry = requireNonNull(registry, "registry");
            this.service = requireNonNull(service, "service");
        }

        public Builder classifier(ErrorClassifier value) {
            this.classifier = requireNonNull(value, "classifier");
            return this;
        }

        public Builder inApp(InAppPolicy value) {
            this.inApp = requireNonNull(value, "inApp");
            return this;
        }

        public Builder redactor(Redactor value) {
            this.redactor = requireNonNull(value, "redactor");
            return this;
        }

        /** Distinct (category, retryable, type) series before new types are counted as {@code other}. */
        public Builder maxSeries(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxSeries must be at least 1, got " + value);
            }
            this.maxSeries = value;
            return this;
        }

        public Builder logSink(ErrorLogSink value) {
            this.logSink = requireNonNull(value, "logSink");
            return this;
        }

        public ClassifyingErrorRecorder build() {
            return new ClassifyingErrorRecorder(this);
        }
    }
}
