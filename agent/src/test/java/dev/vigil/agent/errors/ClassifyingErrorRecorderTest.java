package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.redaction.Redactor;
import dev.vigil.agent.trace.EndedSpans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClassifyingErrorRecorderTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SpanData> ended = new CopyOnWriteArrayList<>();
    private final List<RecordedError> shipped = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider =
            SdkTracerProvider.builder().addSpanProcessor(new EndedSpans(ended)).build();
    private final Tracer tracer = provider.get("test");
    private final ClassifyingErrorRecorder recorder = ClassifyingErrorRecorder.builder(registry, "shop")
            .redactor(Redactor.create(true, List.of(), List.of()))
            .logSink((SpanContext ctx, RecordedError e) -> shipped.add(e))
            .maxSeries(3)
            .build();

    @AfterEach
    void close() {
        provider.close();
    }

    private double count(String category, String type) {
        Counter c = registry.find(ClassifyingErrorRecorder.METRIC)
                .tag("error_category", category)
                .tag("error_type", type)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void putsClassificationAndFingerprintOnTheSpanTheCounterAndTheLogRecord() {
        Span span = tracer.spanBuilder("GET /orders").startSpan();
        SQLException failure = new SQLException("deadlock detected for user ann@example.com", "40P01");
        recorder.record(span, failure, ErrorComponent.DB);
        span.end();

        SpanData data = ended.get(0);
        assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        EventData event = data.getEvents().get(0);
        assertThat(event.getName()).isEqualTo("exception");
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.CATEGORY)).isEqualTo("conflict");
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.RETRYABLE))
                .isTrue();
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.COMPONENT))
                .isEqualTo("db");
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.SEVERITY)).isEqualTo("warning");
        String fingerprint = event.getAttributes().get(ClassifyingErrorRecorder.FINGERPRINT);
        assertThat(fingerprint).isEqualTo(ErrorFingerprint.of(failure, InAppPolicy.inferred()));
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.EXCEPTION_MESSAGE))
                .isEqualTo("deadlock detected for user <redacted>");
        assertThat(event.getAttributes().get(ClassifyingErrorRecorder.EXCEPTION_STACKTRACE))
                .startsWith("java.sql.SQLException: deadlock detected for user <redacted>\n\tat ")
                .doesNotContain("ann@example.com");

        assertThat(count("conflict", "java.sql.SQLException")).isEqualTo(1);
        assertThat(registry.find(ClassifyingErrorRecorder.METRIC)
                        .counter()
                        .getId()
                        .getTag("service"))
                .isEqualTo("shop");
        assertThat(shipped).hasSize(1);
        assertThat(shipped.get(0).fingerprint()).isEqualTo(fingerprint);
    }

    @Test
    @SuppressWarnings("try") // the scope is what makes the server span current
    void theSameFailureSeenByTwoLayersOfOneRequestIsCountedOnceButMarksBothSpans() {
        Span server = tracer.spanBuilder("server").startSpan();
        try (Scope ignored = server.makeCurrent()) {
            Span db = tracer.spanBuilder("db").startSpan();
            SQLException root = new SQLException("connection lost", "08006");
            recorder.record(db, root, ErrorComponent.DB);
            db.end();
            RuntimeException wrapped = new RuntimeException("checkout failed", root);
            recorder.record(server, wrapped, ErrorComponent.HTTP_SERVER);
            recorder.recordLogged(wrapped);
            recorder.record(server, wrapped, ErrorComponent.HTTP_SERVER);
        }
        server.end();

        assertThat(count("unavailable", "java.sql.SQLException")).isEqualTo(1);
        assertThat(shipped).hasSize(1);
        assertThat(ended).hasSize(2);
        for (SpanData s : ended) {
            assertThat(s.getStatus().getStatusCode()).as(s.getName()).isEqualTo(StatusCode.ERROR);
            assertThat(s.getEvents()).as(s.getName()).hasSize(1);
        }
    }

    @Test
    void theErrorStatusAnsweredForAFailureAlreadyCountedIsNotCountedAgain() {
        Span server = tracer.spanBuilder("server").startSpan();
        recorder.record(server, new SQLException("lost", "08006"), ErrorComponent.DB);
        recorder.recordStatus(server, 500, ErrorComponent.HTTP_SERVER);
        server.end();
        assertThat(count("unavailable", "java.sql.SQLException")).isEqualTo(1);
        assertThat(count("unknown", "500")).isZero();
        assertThat(shipped).hasSize(1);

        Span other = tracer.spanBuilder("another request").startSpan();
        recorder.recordStatus(other, 500, ErrorComponent.HTTP_SERVER);
        other.end();
        assertThat(count("unknown", "500")).isEqualTo(1);
    }

    @Test
    void theSameThrowableInAnotherTraceIsAnotherFailure() {
        NullPointerException reused = new NullPointerException(); // as -XX:+OmitStackTraceInFastThrow reuses one
        for (int i = 0; i < 2; i++) {
            Span span = tracer.spanBuilder("request " + i).startSpan();
            recorder.record(span, reused, ErrorComponent.HTTP_SERVER);
            span.end();
        }
        assertThat(count("bug", "java.lang.NullPointerException")).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("try") // the scope is what makes the span current
    void loggingAnErrorDoesNotFailTheSpan() {
        Span span = tracer.spanBuilder("server").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            RecordedError r = recorder.recordLogged(new IllegalStateException("cache miss handled"));
            assertThat(r.classification().component()).isEqualTo(ErrorComponent.LOGGER);
            assertThat(r.firstSighting()).isTrue();
        }
        span.end();
        assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(ended.get(0).getEvents()).hasSize(1);
        assertThat(shipped).as("the log event itself is the record").isEmpty();
        assertThat(count("bug", "java.lang.IllegalStateException")).isEqualTo(1);
    }

    @Test
    void aStatusOnlyFailureIsClassifiedByItsStatus() {
        Span span = tracer.spanBuilder("GET inventory").startSpan();
        recorder.recordStatus(span, 429, ErrorComponent.HTTP_CLIENT);
        span.end();
        assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(ended.get(0).getAttributes().get(ClassifyingErrorRecorder.CATEGORY))
                .isEqualTo("rate_limited");
        assertThat(count("rate_limited", "429")).isEqualTo(1);
        assertThat(shipped.get(0).fingerprint()).isNull();
    }

    @Test
    void ignoredFailuresLeaveNoTrace() {
        ClassifyingErrorRecorder ignoring = ClassifyingErrorRecorder.builder(registry, "shop")
                .classifier(ErrorClassifier.withRules(List.of(ErrorRule.builder("r")
                        .type("java.net.SocketTimeoutException")
                        .ignore(true)
                        .build())))
                .logSink((ctx, e) -> shipped.add(e))
                .build();
        Span span = tracer.spanBuilder("s").startSpan();
        ignoring.record(span, new SocketTimeoutException(), ErrorComponent.HTTP_CLIENT);
        span.end();
        assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(registry.find(ClassifyingErrorRecorder.METRIC).counters()).isEmpty();
        assertThat(shipped).isEmpty();
    }

    @Test
    void newErrorTypesBeyondTheSeriesCapShareOneSeries() {
        Throwable[] failures = {
            new IllegalStateException(),
            new NullPointerException(),
            new ArithmeticException(),
            new ClassCastException(),
            new UnsupportedOperationException()
        };
        for (Throwable t : failures) {
            recorder.record(Span.getInvalid(), t, ErrorComponent.EXECUTOR);
        }
        assertThat(registry.find(ClassifyingErrorRecorder.METRIC).counters()).hasSize(4);
        assertThat(count("bug", ClassifyingErrorRecorder.OTHER)).isEqualTo(2);
    }

    @Test
    void hostileExceptionsNeverReachTheApplication() {
        RuntimeException hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }

            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("no trace either");
            }
        };
        Span span = tracer.spanBuilder("s").startSpan();
        recorder.record(span, hostile, ErrorComponent.HTTP_SERVER);
        span.end();
        assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(shipped).hasSize(1);
    }
}
