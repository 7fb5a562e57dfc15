package dev.vigil.agent.instrumentation.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.vigil.agent.bootstrap.LogBridge;
import net.bytebuddy.asm.Advice;
import org.slf4j.MDC;

/** Inlined into Logback's {@code Logger.callAppenders(ILoggingEvent)}: one call per event that passed the level check. */
public final class CallAppendersAdvice {
    private CallAppendersAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ILoggingEvent event) {
        LogBridge.registerMdc(MDC.class);
        if (!LogBridge.enter() || event == null) {
            return;
        }
        Throwable thrown = null;
        IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy instanceof ThrowableProxy) {
            thrown = ((ThrowableProxy) proxy).getThrowable();
        }
        LogBridge.event(
                LogBridge.LOGBACK,
                event.getLevel().toInt(),
                event.getLoggerName(),
                event.getThreadName(),
                event.getTimeStamp(),
                event.getFormattedMessage(),
                null,
                thrown,
                event.getMDCPropertyMap());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
        LogBridge.exit();
    }
}
