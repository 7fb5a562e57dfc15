package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/** Wraps the Runnable of {@code CompletableFuture.runAsync} in the constructor of its task, whatever the executor. */
public final class AsyncRunAdvice {
    private AsyncRunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 1, readOnly = false) Runnable task) {
        task = ExecutorBridge.wrap(task);
    }
}
