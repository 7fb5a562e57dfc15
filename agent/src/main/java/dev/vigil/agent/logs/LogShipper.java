package dev.vigil.agent.logs;

import dev.vigil.agent.errors.ClassifyingErrorRecorder;
import dev.vigil.agent.errors.ErrorClassification;
import dev.vigil.agent.errors.ErrorLogSink;
import dev.vigil.agent.errors.RecordedError;
import dev.vigil.agent.export.Delivery;
import dev.vigil.agent.export.ExportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ships log records to the collector over OTLP: the application's log events at or above the
 * export level, and one record per failure the error recorder counted. Batched and bounded like
 * spans; the instrumentation scope of an application record is its logger's name.
 */
public final class LogShipper implements ErrorLogSink {
    static final String ERRORS_SCOPE = "dev.vigil.agent.errors";
    private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
    private static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
    /** The graceful-stop event the collector understands (TelemetryIngest.AGENT_STOPPED_EVENT). */
    static final String STOPPED_EVENT = "vigil.agent.stopped";

    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    private static final int MAX_MDC_ATTRIBUTES = 32;

    private final SdkLoggerProvider provider;
    private final BoundedLogProcessor processor;
    private final Logger errorsLogger;

    public LogShipper(Resource resource, Delivery delivery, ExportStats stats, int queueSize) {
        this.processor = new BoundedLogProcessor(
                new OtlpLogExporter(delivery, stats), queueSize, Math.min(512, queueSize), Duration.ofSeconds(1));
        this.provider = SdkLoggerProvider.builder()
                .setResource(resource)
                .setLogLimits(() -> LogLimits.builder()
                        .setMaxNumberOfAttributes(64)
                        .setMaxAttributeValueLength(16 * 1024)
                        .build())
                .addLogRecordProcessor(processor)
                .build();
        this.errorsLogger = provider.get(ERRORS_SCOPE);
    }

    /** Registers {@code vigil_agent_logs_dropped_total}, {@code vigil_agent_logs_exported_total} and the queue gauges. */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vigil.agent.logs.dropped", processor, BoundedLogProcessor::dropped)
                .description("Log records dropped because the export queue was full")
                .register(registry);
        FunctionCounter.builder("vigil.agent.logs.exported", processor, BoundedLogProcessor::exported)
                .description("Log records handed to the exporter")
                .register(registry);
        Gauge.builder("vigil.agent.queue.size", processor, BoundedLogProcessor::queueSize)
                .tags("queue", "logs")
                .description("Items waiting in the agent's export queues")
                .register(registry);
        Gauge.builder("vigil.agent.queue.capacity", processor, BoundedLogProcessor::capacity)
                .tags("queue", "logs")
                .description("Capacity of the agent's export queues")
                .register(registry);
    }

    /** Ships one application log event. */
    void ship(LogLine l) {
        Logger logger = provider.get(l.loggerName == null || l.loggerName.isEmpty() ? "root" : l.loggerName);
        LogRecordBuilder b = logger.logRecordBuilder()
                .setTimestamp(l.epochMillis, TimeUnit.MILLISECONDS)
                .setSeverity(l.level.severity)
                .setSeverityText(l.level.label)
                .setBody(l.message == null ? "" : l.message)
                .setContext(context(l.spanContext));
        if (l.threadName != null) {
            b.setAttribute(THREAD_NAME, l.threadName);
        }
        if (l.mdc != null) {
            int n = 0;
            for (Map.Entry<String, String> e : l.mdc.entrySet()) {
                if (e.getKey() != null && e.getValue() != null && n++ < MAX_MDC_ATTRIBUTES) {
                    b.setAttribute(AttributeKey.stringKey(e.getKey()), e.getValue());
                }
            }
        }
        if (l.exceptionType != null) {
            b.setAttribute(EXCEPTION_TYPE, l.exceptionType);
            if (l.exceptionMessage != null) {
                b.setAttribute(EXCEPTION_MESSAGE, l.exceptionMessage);
            }
            if (l.stackTrace != null) {
                b.setAttribute(EXCEPTION_STACKTRACE, l.stackTrace);
            }
        }
        if (l.error != null) {
            errorAttributes(b, l.error);
        }
        b.emit();
    }

    @Override
    public void emitError(SpanContext spanContext, RecordedError error) {
        ErrorClassification c = error.classification();
        LogRecordBuilder b = errorsLogger
                .logRecordBuilder()
                .setSeverity(severity(c))
                .setSeverityText(severity(c).name())
                .setBody(c.component().label() + " failure: " + error.exceptionType()
                        + (error.message() == null ? "" : ": " + error.message()))
                .setContext(context(spanContext))
                .setAttribute(EXCEPTION_TYPE, error.exceptionType());
        if (error.message() != null) {
            b.setAttribute(EXCEPTION_MESSAGE, error.message());
        }
        if (error.stackTrace() != null) {
            b.setAttribute(EXCEPTION_STACKTRACE, error.stackTrace());
        }
        errorAttributes(b, error);
        b.emit();
    }

    private static void errorAttributes(LogRecordBuilder b, RecordedError error) {
        ErrorClassification c = error.classification();
        b.setAttribute(ClassifyingErrorRecorder.CATEGORY, c.category().label())
                .setAttribute(ClassifyingErrorRecorder.RETRYABLE, c.retryable())
                .setAttribute(ClassifyingErrorRecorder.SEVERITY, c.severity().label())
                .setAttribute(ClassifyingErrorRecorder.COMPONENT, c.component().label());
        if (error.fingerprint() != null) {
            b.setAttribute(ClassifyingErrorRecorder.FINGERPRINT, error.fingerprint());
        }
    }

    private static Severity severity(ErrorClassification c) {
        switch (c.severity()) {
            case CRITICAL:
                return Severity.FATAL;
            case WARNING:
                return Severity.WARN;
            case INFO:
                return Severity.INFO;
            default:
                return Severity.ERROR;
        }
    }

    private static Context context(SpanContext spanContext) {
        return spanContext != null && spanContext.isValid()
                ? Context.root().with(Span.wrap(spanContext))
                : Context.root();
    }

    /**
     * Tells the collector this instance is stopping on purpose: a log record with
     * {@code event.name = vigil.agent.stopped}, so the collector marks the instance stopped instead
     * of raising a heartbeat alert for it (docs/collector.md, heartbeats).
     */
    void emitStopped() {
        errorsLogger
                .logRecordBuilder()
                .setSeverity(Severity.INFO)
                .setSeverityText("INFO")
                .setBody("vigil agent stopped: the JVM is shutting down")
                .setAttribute(EVENT_NAME, STOPPED_EVENT)
                .emit();
    }

    /** Exports what is queued (bounded by the processor's own wait) and stops. */
    public void shutdown() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
