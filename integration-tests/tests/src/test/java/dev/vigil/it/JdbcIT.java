package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** JDBC to an embedded H2 in the sample service: statements, prepared statements and failures. */
@Tag("jdk-matrix")
class JdbcIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static OtlpSink sink;
    private static AgentApp app;

    @BeforeAll
    static void start() {
        sink = OtlpSink.start();
        app = AgentApp.start("sample-service", sink);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** Runs /db?q=kind in a new trace; returns the server span and the one DB span under it. */
    private static ReceivedSpan[] query(String kind, String expectedBody) {
        String traceId = String.format(
                "%016x%016x",
                ThreadLocalRandom.current().nextLong(),
                ThreadLocalRandom.current().nextLong() | 1);
        assertThat(Http.get(app.url("/db?q=" + kind), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                        .body())
                .isEqualTo(expectedBody);
        ReceivedSpan server =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        ReceivedSpan db =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_CLIENT, WAIT);
        assertThat(sink.spans())
                .filteredOn(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_CLIENT)
                .as("one span per execution, however the driver nests its calls")
                .hasSize(1);
        return new ReceivedSpan[] {server, db};
    }

    @Test
    void statementSpanCarriesSanitisedSqlAndIsAChildOfTheRequest() {
        ReceivedSpan[] spans = query("statement", "o'brien");
        ReceivedSpan db = spans[1];
        assertThat(db.parentSpanId()).isEqualTo(spans[0].spanId());
        assertThat(db.name()).isEqualTo("SELECT users");
        assertThat(db.attr("db.system")).isEqualTo("h2");
        assertThat(db.attr("db.system.name")).isEqualTo("h2");
        assertThat(db.attr("db.operation.name")).isEqualTo("SELECT");
        assertThat(db.attr("db.collection.name")).isEqualTo("users");
        assertThat(db.attr("db.query.text")).isEqualTo("SELECT name FROM users WHERE name = ? AND id > ?");
        assertThat(db.isError()).isFalse();
    }

    @Test
    void preparedStatementSpanCarriesTheSqlItWasPreparedWith() {
        ReceivedSpan db = query("prepared", "bob")[1];
        assertThat(db.attr("db.query.text")).isEqualTo("SELECT name FROM users WHERE id = ?");
        assertThat(db.attr("db.system")).isEqualTo("h2");
    }

    @Test
    void inListIsCollapsed() {
        ReceivedSpan db = query("update", "updated 0")[1];
        assertThat(db.name()).isEqualTo("UPDATE users");
        assertThat(db.attr("db.query.text")).isEqualTo("UPDATE users SET name = ? WHERE id IN (?)");
    }

    @Test
    void batchOfAPreparedStatementIsOneSpanWithItsSql() {
        ReceivedSpan db = query("batch", "inserted 2")[1];
        assertThat(db.name()).isEqualTo("BATCH INSERT events");
        assertThat(db.attr("db.operation.name")).isEqualTo("BATCH INSERT");
        assertThat(db.attr("db.query.text")).isEqualTo("INSERT INTO events (kind) VALUES (?)");
    }

    @Test
    void sqlExceptionMarksTheSpanAsErrorWithItsType() {
        ReceivedSpan db = query("fail", "failed 42S02")[1];
        assertThat(db.isError()).isTrue();
        assertThat(db.attr("error.type")).isEqualTo("org.h2.jdbc.JdbcSQLSyntaxErrorException");
        assertThat(db.attr("db.query.text")).isEqualTo("SELECT * FROM no_such_table WHERE id = ?");
        assertThat(db.events("exception")).isNotEmpty();
    }

    @Test
    void operationDurationHistogramHasSemanticConventionLabels() {
        query("prepared", "bob");
        query("fail", "failed 42S02");
        assertThat(app.metric("db_client_operation_duration_seconds_count{db_operation_name=\"SELECT\","
                        + "db_system_name=\"h2\",error_type=\"\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(app.metric("db_client_operation_duration_seconds_count{db_operation_name=\"SELECT\","
                        + "db_system_name=\"h2\",error_type=\"org.h2.jdbc.JdbcSQLSyntaxErrorException\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
    }
}
