package dev.vigil.agent.logs;

import dev.vigil.agent.bootstrap.LogBridge;
import dev.vigil.agent.errors.ClassifyingErrorRecorder;
import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.RecordedError;
import dev.vigil.agent.errors.StackTraceWriter;
import dev.vigil.agent.redaction.Redactor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.text.MessageFormat;
import java.util.Map;

/**
 * Receives the application's log events from the logging-framework advice: keeps the MDC's trace
 * ids current, records {@code error(…, throwable)} events with the error recorder, ships events at
 * or above the export level, and renders the JSON lines of the console and file modes.
 */
final class LogEventHandler implements LogBridge.Handler {
    private final ClassifyingErrorRecorder recorder;
    private final LogShipper shipper;
    private final LogLevel exportThreshold;
    private final JsonLogLine json;
    private final JsonLogFile file;
    private final boolean consoleJson;
    private final MdcSync mdc;
    private final Redactor redactor;
    /** The error recorded for the event being dispatched on this thread, for its console line. */
    private final ThreadLocal<RecordedError> current = new ThreadLocal<>();

    LogEventHandler(
            ClassifyingErrorRecorder recorder,
            LogShipper shipper,
            LogLevel exportThreshold,
            JsonLogLine json,
            JsonLogFile file,
            boolean consoleJson,
            MdcSync mdc,
            Redactor redactor) {
        this.recorder = recorder;
        this.shipper = shipper;
        this.exportThreshold = exportThreshold;
        this.json = json;
        this.file = file;
        this.consoleJson = consoleJson;
        this.mdc = mdc;
        this.redactor = redactor;
    }

    @Override
    public void beforeEvent() {
        if (mdc != null) {
            mdc.syncCurrentThread();
        }
    }

    @Override
    public void afterEvent() {
        current.remove(); // a pooled thread would otherwise keep the last error's stack trace alive
    }

    @Override
    public void event(
            int framework,
            int rawLevel,
            String loggerName,
            String threadName,
            long epochMillis,
            String message,
            Object[] params,
            Throwable thrown,
            Map<String, String> mdcMap) {
        LogLevel level = LogLevel.of(framework, rawLevel);
        RecordedError error = thrown != null && level == LogLevel.ERROR ? recorder.recordLogged(thrown) : null;
        current.set(error);
        boolean ship = shipper != null && exportThreshold != null && level.compareTo(exportThreshold) >= 0;
        if (!ship && file == null) {
            return;
        }
        LogLine line = line(level, loggerName, threadName, epochMillis, message, params, thrown, mdcMap, error);
        if (ship) {
            shipper.ship(line);
        }
        if (file != null) {
            file.append(json.bytes(line));
        }
    }

    @Override
    public boolean consoleJson() {
        return consoleJson;
    }

    @Override
    public byte[] consoleLine(
            int framework,
            int rawLevel,
            String loggerName,
            String threadName,
            long epochMillis,
            String message,
            Object[] params,
            Throwable thrown,
            Map<String, String> mdcMap) {
        if (!consoleJson) {
            return null;
        }
        RecordedError error = current.get();
        LogLine line = line(
                LogLevel.of(framework, rawLevel),
                loggerName,
                threadName,
                epochMillis,
                message,
                params,
                thrown,
                mdcMap,
                thrown != null
                                && error != null
                                && error.exceptionType()
                                        .equals(thrown.getClass().getName())
                        ? error
                        : null);
        return json.bytes(line);
    }

    @Override
    public void registerMdc(Class<?> mdcType) {
        if (mdc != null) {
            mdc.register(mdcType);
        }
    }

    private LogLine line(
            LogLevel level,
            String loggerName,
            String threadName,
            long epochMillis,
            String message,
            Object[] params,
            Throwable thrown,
            Map<String, String> mdcMap,
            RecordedError error) {
        SpanContext spanContext = Span.current().getSpanContext();
        if (!spanContext.isValid() && mdcMap != null) {
            // an async appender renders on its own thread: the ids are those the MDC held when the event was made
            spanContext = fromMdc(mdcMap);
        }
        String type = null;
        String exceptionMessage = null;
        String stackTrace = null;
        if (thrown != null) {
            type = thrown.getClass().getName();
            if (error != null) {
                exceptionMessage = error.message();
                stackTrace = error.stackTrace();
            } else {
                exceptionMessage = redactor.redact(ErrorFingerprint.safeMessage(thrown));
                stackTrace = StackTraceWriter.print(thrown, redactor::redact);
            }
        }
        return new LogLine(
                epochMillis,
                level,
                loggerName,
                threadName,
                redactor.redact(format(message, params)),
                type,
                exceptionMessage,
                stackTrace,
                mdcMap,
                spanContext,
                error);
    }

    static SpanContext fromMdc(Map<String, String> mdcMap) {
        String traceId = mdcMap.get(MdcSync.TRACE_ID);
        String spanId = mdcMap.get(MdcSync.SPAN_ID);
        if (traceId == null || spanId == null) {
            return SpanContext.getInvalid();
        }
        return SpanContext.create(traceId, spanId, TraceFlags.getDefault(), TraceState.getDefault());
    }

    /** JUL passes {@code {0}}-style parameters unformatted; Logback and Log4j pass the formatted message. */
    static String format(String message, Object[] params) {
        if (message == null || params == null || params.length == 0 || message.indexOf('{') < 0) {
            return message;
        }
        try {
            return MessageFormat.format(message, params);
        } catch (RuntimeException e) {
            return message;
        }
    }
}
