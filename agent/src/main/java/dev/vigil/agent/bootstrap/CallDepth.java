package dev.vigil.agent.bootstrap;

/**
 * Per-thread nesting depth of one kind of instrumented call, so that only the outermost call of a
 * request (a filter chain inside a filter chain, a JDBC driver delegating to another) is recorded.
 * Advice calls {@link #enter} on entry and {@link #exit} on every exit, normal or exceptional.
 */
public final class CallDepth {
    public static final CallDepth HTTP_SERVER = new CallDepth();
    public static final CallDepth HTTP_CLIENT = new CallDepth();
    public static final CallDepth JDBC = new CallDepth();

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    private CallDepth() {}

    /** Increments the depth and returns its previous value: 0 means this is the outermost call. */
    public int enter() {
        return depth.get()[0]++;
    }

    /** Decrements the depth and returns the new value: 0 means the outermost call is ending. */
    public int exit() {
        int[] d = depth.get();
        return d[0] > 0 ? --d[0] : 0;
    }
}
