package dev.vigil.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.bootstrap.LogBridge;
import org.junit.jupiter.api.Test;

class LogLevelTest {
    @Test
    void mapsEachFrameworksLevelNumbers() {
        assertThat(LogLevel.of(LogBridge.LOGBACK, 40000)).isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.of(LogBridge.LOGBACK, 30000)).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.of(LogBridge.LOGBACK, 5000)).isEqualTo(LogLevel.TRACE);
        assertThat(LogLevel.of(LogBridge.LOG4J2, 100)).as("FATAL").isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.of(LogBridge.LOG4J2, 300)).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.of(LogBridge.LOG4J2, 600)).isEqualTo(LogLevel.TRACE);
        assertThat(LogLevel.of(LogBridge.JUL, 1000)).as("SEVERE").isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.of(LogBridge.JUL, 900)).as("WARNING").isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.of(LogBridge.JUL, 700)).as("CONFIG").isEqualTo(LogLevel.DEBUG);
        assertThat(LogLevel.of(LogBridge.JUL, 300)).as("FINEST").isEqualTo(LogLevel.TRACE);
    }

    @Test
    void offDisablesExport() {
        assertThat(LogLevel.threshold("off")).isNull();
        assertThat(LogLevel.threshold("warn")).isEqualTo(LogLevel.WARN);
    }

    @Test
    void traceIdsComeFromTheEventsMdcWhenRenderedOffTheLoggingThread() {
        var ctx = LogEventHandler.fromMdc(
                java.util.Map.of("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331"));
        assertThat(ctx.isValid()).isTrue();
        assertThat(ctx.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(LogEventHandler.fromMdc(java.util.Map.of("trace_id", "not hex", "span_id", "x"))
                        .isValid())
                .isFalse();
        assertThat(LogEventHandler.fromMdc(java.util.Map.of()).isValid()).isFalse();
    }

    @Test
    void julParametersAreFormattedAndBadPatternsKeptAsWritten() {
        assertThat(LogEventHandler.format("order {0} failed after {1} tries", new Object[] {"A-1", 3}))
                .isEqualTo("order A-1 failed after 3 tries");
        assertThat(LogEventHandler.format("weird {x", new Object[] {1})).isEqualTo("weird {x");
        assertThat(LogEventHandler.format("plain", null)).isEqualTo("plain");
    }
}
