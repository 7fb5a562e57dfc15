package dev.vigil.agent.bootstrap;

import java.util.Map;

/**
 * Log events of the application's logging frameworks (Logback, Log4j 2, JUL): called by their
 * advice with plain values, once per event, so the agent can enrich the MDC, record logged errors,
 * ship WARN and above, and write JSON lines. Does nothing until the agent installs a handler.
 */
public final class LogBridge {
    public static final int LOGBACK = 1;
    public static final int LOG4J2 = 2;
    public static final int JUL = 3;

    /** Implemented by the agent core. */
    public interface Handler {
        /** Called before the framework builds or dispatches an event: the MDC must hold the ids now. */
        void beforeEvent();

        /** Called when the outermost dispatch has returned: per-event state can go. */
        void afterEvent();

        void event(
                int framework,
                int level,
                String loggerName,
                String threadName,
                long epochMillis,
                String message,
                Object[] params,
                Throwable thrown,
                Map<String, String> mdc);

        boolean consoleJson();

        byte[] consoleLine(
                int framework,
                int level,
                String loggerName,
                String threadName,
                long epochMillis,
                String message,
                Object[] params,
                Throwable thrown,
                Map<String, String> mdc);

        void registerMdc(Class<?> mdcType);
    }

    private static volatile Handler handler;
    private static volatile Class<?>[] registeredMdc = new Class<?>[0];
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private LogBridge() {}

    public static void install(Handler h) {
        handler = h;
        if (h != null) {
            for (Class<?> c : registeredMdc) {
                h.registerMdc(c);
            }
        }
    }

    /**
     * Marks the start of a framework's dispatch of one event; returns true only for the outermost
     * one on the thread (a JUL record bridged into SLF4J is one event, not two). Always pair with
     * {@link #exit()}.
     */
    public static boolean enter() {
        boolean outermost = DEPTH.get()[0]++ == 0;
        Handler h = handler;
        if (outermost && h != null && !Suppression.active()) {
            try {
                h.beforeEvent();
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
        return outermost;
    }

    public static void exit() {
        int[] d = DEPTH.get();
        if (d[0] > 0 && --d[0] == 0) {
            Handler h = handler;
            if (h != null) {
                try {
                    h.afterEvent();
                } catch (Throwable t) {
                    AdviceErrors.record(t);
                }
            }
        }
    }

    /** One log event that passed the framework's level check. Never throws. */
    public static void event(
            int framework,
            int level,
            String loggerName,
            String threadName,
            long epochMillis,
            String message,
            Object[] params,
            Throwable thrown,
            Map<String, String> mdc) {
        Handler h = handler;
        if (h == null || Suppression.active()) {
            return;
        }
        try {
            h.event(framework, level, loggerName, threadName, epochMillis, message, params, thrown, mdc);
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** Whether console output is to be replaced by JSON lines ({@code vigil.logs.json=console}). */
    public static boolean consoleJson() {
        Handler h = handler;
        return h != null && h.consoleJson();
    }

    /** The JSON line (UTF-8, newline-terminated) that replaces an event's console output, or null to keep it. */
    public static byte[] consoleLine(
            int framework,
            int level,
            String loggerName,
            String threadName,
            long epochMillis,
            String message,
            Object[] params,
            Throwable thrown,
            Map<String, String> mdc) {
        Handler h = handler;
        if (h == null) {
            return null;
        }
        try {
            return h.consoleLine(framework, level, loggerName, threadName, epochMillis, message, params, thrown, mdc);
        } catch (Throwable t) {
            AdviceErrors.record(t);
            return null;
        }
    }

    /**
     * Makes the MDC class of a logging framework ({@code org.slf4j.MDC}, Log4j's
     * {@code ThreadContext}) known, so trace ids can be put in it. Cheap after the first call.
     */
    public static void registerMdc(Class<?> mdcType) {
        Class<?>[] known = registeredMdc;
        for (Class<?> c : known) {
            if (c == mdcType) {
                return;
            }
        }
        synchronized (LogBridge.class) {
            known = registeredMdc;
            for (Class<?> c : known) {
                if (c == mdcType) {
                    return;
                }
            }
            Class<?>[] grown = new Class<?>[known.length + 1];
            System.arraycopy(known, 0, grown, 0, known.length);
            grown[known.length] = mdcType;
            registeredMdc = grown;
        }
        Handler h = handler;
        if (h != null) {
            try {
                h.registerMdc(mdcType);
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
    }
}
