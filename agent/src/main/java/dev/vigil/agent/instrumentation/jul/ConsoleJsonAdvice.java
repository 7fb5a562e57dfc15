package dev.vigil.agent.instrumentation.jul;

import dev.vigil.agent.bootstrap.LogBridge;
import java.util.logging.ConsoleHandler;
import java.util.logging.LogRecord;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.util.logging.ConsoleHandler.publish(LogRecord)}: with
 * {@code vigil.logs.json=console} the record goes to standard error (where ConsoleHandler writes)
 * as a JSON line instead of through the handler's formatter.
 */
public final class ConsoleJsonAdvice {
    private ConsoleJsonAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This ConsoleHandler handler, @Advice.Argument(0) LogRecord record) {
        if (record == null || !LogBridge.consoleJson() || !handler.isLoggable(record)) {
            return false;
        }
        byte[] line = LogBridge.consoleLine(
                LogBridge.JUL,
                record.getLevel().intValue(),
                record.getLoggerName(),
                Thread.currentThread().getName(),
                record.getMillis(),
                record.getMessage(),
                record.getParameters(),
                record.getThrown(),
                null);
        if (line == null) {
            return false;
        }
        System.err.write(line, 0, line.length);
        System.err.flush();
        return true;
    }
}
