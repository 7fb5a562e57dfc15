package dev.vigil.agent.errors;

import io.opentelemetry.api.trace.Span;

/**
 * The one place instrumentation reports a failure it has seen. Implementations put it on the span
 * (status, exception event), and may classify, fingerprint, count and ship it.
 *
 * <p>Every method is called on application threads: it must be fast and must never throw.
 */
public interface ErrorRecorder {
    /** A throwable seen by {@code component}, recorded on {@code span} (which may be invalid/no-op). */
    void record(Span span, Throwable error, ErrorComponent component);

    /**
     * A throwable that came with an HTTP answer (a client call that received {@code httpStatus});
     * the status takes part in the classification.
     */
    default void record(Span span, Throwable error, int httpStatus, ErrorComponent component) {
        record(span, error, component);
    }

    /**
     * A failure known only by its HTTP status (a 5xx the server answered, a 429/5xx a client call
     * received), recorded on {@code span}.
     */
    void recordStatus(Span span, int httpStatus, ErrorComponent component);

    /** Records the exception event and error status on the span, and nothing else. */
    ErrorRecorder SPAN_ONLY = new ErrorRecorder() {
        @Override
        public void record(Span span, Throwable error, ErrorComponent component) {
            span.recordException(error);
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
        }

        @Override
        public void recordStatus(Span span, int httpStatus, ErrorComponent component) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
        }
    };
}
