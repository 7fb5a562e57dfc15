package dev.vigil.agent.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.vigil.agent.errors.StackTraceWriter;
import dev.vigil.agent.redaction.Redactor;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One log event to a JSON line: the agent's path (redaction of message and stack trace, the stack
 * trace printed, the line rendered) against Logback's logstash-logback-encoder encoding the same
 * event, with and without a 60-frame exception.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonLogBenchmark {
    private static final SpanContext SPAN = SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    private static final String MESSAGE = "payment failed for order 42 of customer 7";
    private static final Map<String, String> MDC =
            Map.of("trace_id", SPAN.getTraceId(), "span_id", SPAN.getSpanId(), "user", "u-17");

    private final JsonLogLine json = new JsonLogLine("shop", ZoneId.systemDefault());
    private final Redactor redactor = Redactor.create(true, java.util.List.of(), java.util.List.of());
    private Throwable error;
    private LoggerContext context;
    private LogstashEncoder encoder;
    private LoggingEvent plainEvent;
    private LoggingEvent errorEvent;

    @Setup
    public void setUp() {
        error = deep(58);
        context = new LoggerContext();
        encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("com.shop.Checkout");
        plainEvent = new LoggingEvent("fqcn", logger, Level.WARN, MESSAGE, null, null);
        plainEvent.setMDCPropertyMap(MDC);
        errorEvent = new LoggingEvent("fqcn", logger, Level.ERROR, MESSAGE, error, null);
        errorEvent.setMDCPropertyMap(MDC);
    }

    @TearDown
    public void tearDown() {
        encoder.stop();
        context.stop();
    }

    private static Throwable deep(int depth) {
        if (depth == 0) {
            return new IllegalStateException("checkout failed", new java.sql.SQLException("deadlock", "40P01"));
        }
        return deep(depth - 1);
    }

    private byte[] vigil(Throwable thrown) {
        String stackTrace = thrown == null ? null : StackTraceWriter.print(thrown, redactor::redact);
        return json.bytes(new LogLine(
                System.currentTimeMillis(),
                thrown == null ? LogLevel.WARN : LogLevel.ERROR,
                "com.shop.Checkout",
                "http-nio-8080-exec-1",
                redactor.redact(MESSAGE),
                thrown == null ? null : thrown.getClass().getName(),
                thrown == null ? null : redactor.redact(thrown.getMessage()),
                stackTrace,
                MDC,
                SPAN,
                null));
    }

    @Benchmark
    public byte[] vigilWithoutException() {
        return vigil(null);
    }

    @Benchmark
    public byte[] vigilWithException() {
        return vigil(error);
    }

    /** Part of vigilWithException: the redacted stack trace only. */
    @Benchmark
    public String stackTraceOnly() {
        return StackTraceWriter.print(error, redactor::redact);
    }

    @Benchmark
    public byte[] logstashWithoutException() {
        return encoder.encode(plainEvent);
    }

    @Benchmark
    public byte[] logstashWithException() {
        return encoder.encode(errorEvent);
    }
}
