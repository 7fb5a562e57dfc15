package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/** Wraps the Runnable argument of {@code ScheduledThreadPoolExecutor.schedule*}, with or without a context: a scheduled job's failure is reported even outside any trace (a periodic task that throws silently stops running). */
public final class ScheduledRunnableAdvice {
    private ScheduledRunnableAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        task = ExecutorBridge.wrapAlways(task);
    }
}
