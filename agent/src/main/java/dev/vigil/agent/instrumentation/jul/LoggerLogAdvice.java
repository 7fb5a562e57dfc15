package dev.vigil.agent.instrumentation.jul;

import dev.vigil.agent.bootstrap.LogBridge;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code java.util.logging.Logger.log(LogRecord)}. */
public final class LoggerLogAdvice {
    private LoggerLogAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Logger logger, @Advice.Argument(0) LogRecord record) {
        if (!LogBridge.enter() || record == null || !logger.isLoggable(record.getLevel())) {
            return;
        }
        LogBridge.event(
                LogBridge.JUL,
                record.getLevel().intValue(),
                record.getLoggerName(),
                Thread.currentThread().getName(),
                record.getMillis(),
                record.getMessage(),
                record.getParameters(),
                record.getThrown(),
                null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
        LogBridge.exit();
    }
}
