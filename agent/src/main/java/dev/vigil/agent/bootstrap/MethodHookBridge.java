package dev.vigil.agent.bootstrap;

/**
 * Business metrics and annotated methods: called by the advice the agent inlines into methods chosen
 * by configuration ({@code metrics:} hooks in vigil.yaml) or by annotations ({@code @Timed},
 * {@code @Counted}, {@code @WithSpan}). The advice passes the hook's number, fixed when the method
 * was instrumented, and plain values; the agent core records the meters and spans.
 */
public final class MethodHookBridge {
    /** Returned by {@link #enter} when the agent is not ready: exit does nothing. */
    public static final long SKIP = Long.MIN_VALUE;

    /** Returned by the handler for a call nested in a call of the same hook: exit records nothing. */
    public static final long NESTED = Long.MIN_VALUE + 1;

    /** Implemented by the agent core. */
    public interface Handler {
        long enter(int hook);

        void exit(int hook, long state, Object[] arguments, Object returned, Throwable thrown);

        Object startSpan(int hook, Object[] arguments);

        void endSpan(Object span, Throwable thrown);
    }

    private static volatile Handler handler;

    private MethodHookBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /** Called on entry; the result goes back to {@link #exit} unchanged. */
    public static long enter(int hook) {
        Handler h = handler;
        if (h == null || Suppression.active()) {
            return SKIP;
        }
        return h.enter(hook);
    }

    /**
     * Called on every exit, normal or by an exception. {@code arguments} is null for hooks that use
     * none, {@code returned} is the boxed return value (null for void).
     */
    public static void exit(int hook, long state, Object[] arguments, Object returned, Throwable thrown) {
        Handler h = handler;
        if (h != null && state != SKIP) {
            h.exit(hook, state, arguments, returned, thrown);
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
