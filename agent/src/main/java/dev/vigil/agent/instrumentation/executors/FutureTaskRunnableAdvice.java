package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/** Wraps the Runnable argument of the {@code FutureTask(Runnable, V)} constructor: every {@code submit} of an executor service makes one. */
public final class FutureTaskRunnableAdvice {
    private FutureTaskRunnableAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        task = ExecutorBridge.wrap(task);
    }
}
