package dev.vigil.agent.instrumentation.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.vigil.agent.bootstrap.LogBridge;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Logback's {@code OutputStreamAppender.subAppend(E)}: with {@code vigil.logs.json=console}
 * a console appender writes the event's JSON line instead of its pattern (the original method is
 * skipped). Any other appender, or a failure here, leaves the original output.
 */
public final class ConsoleJsonAdvice {
    private ConsoleJsonAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Object appender, @Advice.Argument(0) Object event) throws Exception {
        if (!(appender instanceof ConsoleAppender) || !(event instanceof ILoggingEvent) || !LogBridge.consoleJson()) {
            return false;
        }
        OutputStreamAppender<?> console = (OutputStreamAppender<?>) appender;
        OutputStream out = console.getOutputStream();
        if (!console.isStarted() || out == null) {
            return false;
        }
        ILoggingEvent e = (ILoggingEvent) event;
        Throwable thrown = null;
        IThrowableProxy proxy = e.getThrowableProxy();
        if (proxy instanceof ThrowableProxy) {
            thrown = ((ThrowableProxy) proxy).getThrowable();
        }
        byte[] line = LogBridge.consoleLine(
                LogBridge.LOGBACK,
                e.getLevel().toInt(),
                e.getLoggerName(),
                e.getThreadName(),
                e.getTimeStamp(),
                e.getFormattedMessage(),
                null,
                thrown,
                e.getMDCPropertyMap());
        if (line == null) {
            return false;
        }
        out.write(line);
        out.flush();
        return true;
    }
}
