package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.FutureTask;
import net.bytebuddy.asm.Advice;

/** Wraps the Runnable argument of {@code ThreadPoolExecutor.execute} and {@code ForkJoinPool.execute/submit}; FutureTasks are wrapped where they are made (FutureTask's own constructor) and fork/join tasks cannot be replaced without changing what the caller joins. */
public final class RunnableTaskAdvice {
    private RunnableTaskAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        if (!(task instanceof FutureTask) && !(task instanceof ForkJoinTask)) {
            task = ExecutorBridge.wrap(task);
        }
    }
}
