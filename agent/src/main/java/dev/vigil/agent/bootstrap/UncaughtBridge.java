package dev.vigil.agent.bootstrap;

import java.util.function.BiConsumer;

/**
 * Exceptions no code caught: called from {@code Thread.dispatchUncaughtException} before the
 * thread's own handler, the application's default handler or the JVM's printing runs, none of
 * which is replaced or skipped.
 */
public final class UncaughtBridge {
    private static volatile BiConsumer<Thread, Throwable> handler;

    private UncaughtBridge() {}

    public static void install(BiConsumer<Thread, Throwable> h) {
        handler = h;
    }

    public static void uncaught(Thread thread, Throwable error) {
        BiConsumer<Thread, Throwable> h = handler;
        if (h == null || error == null) {
            return;
        }
        try {
            h.accept(thread, error);
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }
}
