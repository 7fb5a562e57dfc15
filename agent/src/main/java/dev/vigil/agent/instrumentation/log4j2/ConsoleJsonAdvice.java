package dev.vigil.agent.instrumentation.log4j2;

import dev.vigil.agent.bootstrap.LogBridge;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.OutputStreamManager;
import org.apache.logging.log4j.message.Message;

/**
 * Inlined into {@code AbstractOutputStreamAppender.append(LogEvent)}: with {@code vigil.logs.json=console}
 * a console appender writes the event's JSON line instead of its layout (the original is skipped).
 */
public final class ConsoleJsonAdvice {
    private ConsoleJsonAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Object appender, @Advice.Argument(0) LogEvent event) {
        if (!(appender instanceof ConsoleAppender) || event == null || !LogBridge.consoleJson()) {
            return false;
        }
        Message message = event.getMessage();
        byte[] line = LogBridge.consoleLine(
                LogBridge.LOG4J2,
                event.getLevel().intLevel(),
                event.getLoggerName(),
                event.getThreadName(),
                event.getTimeMillis(),
                message == null ? "" : message.getFormattedMessage(),
                null,
                event.getThrown(),
                event.getContextData() == null ? null : event.getContextData().toMap());
        if (line == null) {
            return false;
        }
        OutputStreamManager manager = ((ConsoleAppender) appender).getManager();
        manager.writeBytes(line, 0, line.length);
        manager.flush();
        return true;
    }
}
