package dev.vigil.agent.instrumentation.log4j2;

import dev.vigil.agent.bootstrap.LogBridge;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.message.Message;

/** Inlined into {@code core.Logger.logMessage(fqcn, level, marker, message, throwable)}, called for enabled events. */
public final class LogMessageAdvice {
    private LogMessageAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
            @Advice.This Logger logger,
            @Advice.Argument(1) Level level,
            @Advice.Argument(3) Message message,
            @Advice.Argument(4) Throwable thrown) {
        LogBridge.registerMdc(ThreadContext.class);
        if (!LogBridge.enter() || level == null) {
            return;
        }
        LogBridge.event(
                LogBridge.LOG4J2,
                level.intLevel(),
                logger.getName(),
                Thread.currentThread().getName(),
                System.currentTimeMillis(),
                message == null ? "" : message.getFormattedMessage(),
                null,
                thrown != null ? thrown : (message == null ? null : message.getThrowable()),
                ThreadContext.getImmutableContext());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
        LogBridge.exit();
    }
}
