package dev.vigil.agent.errors;

import io.opentelemetry.api.trace.SpanContext;

/** Where the recorder sends the OTLP log record of a failure it counted (the log pipeline). */
public interface ErrorLogSink {
    /** Emits one log record for the failure, with the span's trace context (which may be invalid). */
    void emitError(SpanContext spanContext, RecordedError error);

    ErrorLogSink NONE = (spanContext, error) -> {};
}
