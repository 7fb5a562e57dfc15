package dev.vigil.agent.logs;

import dev.vigil.agent.errors.RecordedError;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;

/** One application log event as the agent renders and ships it; message and stack trace already redacted. */
final class LogLine {
    final long epochMillis;
    final LogLevel level;
    final String loggerName;
    final String threadName;
    final String message;
    final String exceptionType;
    final String exceptionMessage;
    final String stackTrace;
    final Map<String, String> mdc;
    final SpanContext spanContext;
    final RecordedError error;

    LogLine(
            long epochMillis,
            LogLevel level,
            String loggerName,
            String threadName,
            String message,
            String exceptionType,
            String exceptionMessage,
            String stackTrace,
            Map<String, String> mdc,
            SpanContext spanContext,
            RecordedError error) {
        this.epochMillis = epochMillis;
        this.level = level;
        this.loggerName = loggerName;
        this.threadName = threadName;
        this.message = message;
        this.exceptionType = exceptionType;
        this.exceptionMessage = exceptionMessage;
        this.stackTrace = stackTrace;
        this.mdc = mdc;
        this.spanContext = spanContext;
        this.error = error;
    }
}
