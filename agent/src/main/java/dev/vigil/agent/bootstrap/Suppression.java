package dev.vigil.agent.bootstrap;

/**
 * Marks the current thread as doing the agent's own work (exporting, serving /metrics), so that
 * instrumentation of the HTTP clients and servers the agent itself uses does not trace the agent.
 */
public final class Suppression {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Suppression() {}

    public static void enter() {
        DEPTH.get()[0]++;
    }

    public static void exit() {
        int[] depth = DEPTH.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    /** True while the current thread runs agent work; advice returns early when it is. */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }
}
