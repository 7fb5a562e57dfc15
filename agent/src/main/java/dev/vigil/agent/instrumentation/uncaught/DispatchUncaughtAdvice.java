package dev.vigil.agent.instrumentation.uncaught;

import dev.vigil.agent.bootstrap.UncaughtBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Thread.dispatchUncaughtException(Throwable)}. */
public final class DispatchUncaughtAdvice {
    private DispatchUncaughtAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable error) {
        UncaughtBridge.uncaught(thread, error);
    }
}
