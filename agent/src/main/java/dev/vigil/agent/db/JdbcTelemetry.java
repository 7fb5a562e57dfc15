package dev.vigil.agent.db;

import dev.vigil.agent.bootstrap.JdbcBridge;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.ErrorRecorder;
import dev.vigil.agent.metrics.TimerTable;
import dev.vigil.agent.trace.SpanAttributes;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns JDBC executions into CLIENT spans named after the operation and table, with the sanitised
 * SQL ({@link SqlSanitizer}), the {@code db.client.operation.duration} histogram, and SQLExceptions
 * (any throwable out of the driver) reported as {@link ErrorComponent#DB}.
 */
public final class JdbcTelemetry implements JdbcBridge.Handler {
    public static final String DURATION_METRIC = "db.client.operation.duration";
    /** Sanitising is a scan of the text; the same statements come back again and again. */
    private static final int SANITIZED_CACHE_SIZE = 2048;

    private final Tracer tracer;
    private final ErrorRecorder errors;
    private final ConcurrentHashMap<String, SqlSanitizer.Sanitized> sanitized = new ConcurrentHashMap<>();
    private final TimerTable durations;
    private final ThreadLocal<Execution> current = new ThreadLocal<>();

    public JdbcTelemetry(Tracer tracer, MeterRegistry registry, ErrorRecorder errors) {
        this.tracer = tracer;
        this.errors = errors;
        this.durations = new TimerTable(
                registry,
                DURATION_METRIC,
                "Duration of database client operations",
                "db.system.name",
                "db.operation.name",
                "error.type");
    }

    /** One execution between start and end. */
    static final class Execution {
        final Span span;
        final Scope scope;
        final long startNanos;
        final String operation;
        String system;

        Execution(Span span, Scope scope, long startNanos, String operation, String system) {
            this.span = span;
            this.scope = scope;
            this.startNanos = startNanos;
            this.operation = operation;
            this.system = system;
        }
    }

    @Override
    public Object start(Class<?> statementType, String sql, boolean batch) {
        long start = System.nanoTime();
        SqlSanitizer.Sanitized s = sql == null ? null : sanitized(sql);
        String operation = s == null ? null : s.operation;
        if (batch) {
            operation = operation == null ? "BATCH" : "BATCH " + operation;
        }
        String system = DbSystems.of(statementType);
        String name = operation == null ? system : s != null && s.table != null ? operation + " " + s.table : operation;
        io.opentelemetry.api.trace.SpanBuilder builder =
                tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(Context.current());
        if (s != null) {
            builder.setAttribute(SpanAttributes.DB_QUERY_TEXT, s.text);
            if (s.table != null) {
                builder.setAttribute(SpanAttributes.DB_COLLECTION_NAME, s.table);
            }
        }
        if (operation != null) {
            builder.setAttribute(SpanAttributes.DB_OPERATION_NAME, operation);
        }
        Span span = builder.startSpan();
        Execution e = new Execution(span, span.makeCurrent(), start, operation, system);
        current.set(e);
        return e;
    }

    @Override
    public void nested(Class<?> statementType) {
        Execution e = current.get();
        if (e != null && DbSystems.OTHER.equals(e.system)) {
            e.system = DbSystems.of(statementType);
        }
    }

    @Override
    public void end(Object execution, Throwable error) {
        Execution e = (Execution) execution;
        long duration = System.nanoTime() - e.startNanos;
        current.remove();
        try {
            e.span.setAttribute(SpanAttributes.DB_SYSTEM_NAME, e.system);
            e.span.setAttribute(SpanAttributes.DB_SYSTEM, e.system); // the name before semantic conventions 1.30
            String errorType = null;
            if (error != null) {
                errorType = error.getClass().getName();
                e.span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                errors.record(e.span, error, ErrorComponent.DB);
            }
            recordDuration(duration, e, errorType);
        } finally {
            e.scope.close();
            e.span.end();
        }
    }

    private SqlSanitizer.Sanitized sanitized(String sql) {
        SqlSanitizer.Sanitized s = sanitized.get(sql);
        if (s == null) {
            s = SqlSanitizer.sanitize(sql);
            if (sanitized.size() < SANITIZED_CACHE_SIZE) {
                sanitized.put(sql, s);
            }
        }
        return s;
    }

    private void recordDuration(long nanos, Execution e, String errorType) {
        durations
                .timer(e.system, e.operation == null ? "" : e.operation, errorType == null ? "" : errorType)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
