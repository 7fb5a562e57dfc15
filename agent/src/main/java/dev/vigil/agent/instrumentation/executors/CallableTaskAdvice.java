package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** Wraps the Callable argument of {@code ForkJoinPool.submit} and of the {@code FutureTask(Callable)} constructor. */
public final class CallableTaskAdvice {
    private CallableTaskAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
        task = ExecutorBridge.wrap(task);
    }
}
