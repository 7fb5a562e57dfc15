package dev.vigil.agent.bootstrap;

/**
 * Business metrics and annotated methods: called by the advice the agent inlines into methods chosen
 * by configuration ({@code metrics:} hooks in vigil.yaml) or by annotations ({@code @Timed},
 * {@code @Counted}, {@code @WithSpan}). The advice passes the hook's number, fixed when the method
 * was instrumented, and plain values; the agent core records the meters and spans.
 */
public final class MethodHookBridge {
    /** Implemented by the agent core. */
    public interface Handler {
        /** Returns a handle for {@link #exit}, or null when nothing is to be recorded. */
        Object enter(int hook);

        void exit(int hook, Object state, long startNanos, Object[] arguments, Object returned, Throwable thrown);

        Object startSpan(int hook, Object[] arguments);

        void endSpan(Object span, Throwable thrown);
    }

    private static volatile Handler handler;

    private MethodHookBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /**
     * Called on entry; the result goes back to {@link #exit} unchanged. Unlike other bridges this one
     * does not check {@link Suppression}: hooks select application methods, which the agent's own
     * threads never call, and the check would cost a thread-local lookup on every hooked call.
     */
    public static Object enter(int hook) {
        Handler h = handler;
        return h == null ? null : h.enter(hook);
    }

    /**
     * Called on every exit, normal or by an exception. {@code startNanos} is the entry time for
     * timers (0 otherwise), {@code arguments} is null for hooks that use none, {@code returned} is
     * the boxed return value (null for void).
     */
    public static void exit(
            int hook, Object state, long startNanos, Object[] arguments, Object returned, Throwable thrown) {
        Handler h = handler;
        if (h != null && state != null) {
            h.exit(hook, state, startNanos, arguments, returned, thrown);
        }
    }

    /** Starts a span for a {@code @WithSpan} method and makes it current; returns a handle or null. */
    public static Object startSpan(int hook, Object[] arguments) {
        Handler h = handler;
        if (h == null || Suppression.active()) {
            return null;
        }
        return h.startSpan(hook, arguments);
    }

    public static void endSpan(Object span, Throwable thrown) {
        Handler h = handler;
        if (h != null && span != null) {
            h.endSpan(span, thrown);
        }
    }
}
