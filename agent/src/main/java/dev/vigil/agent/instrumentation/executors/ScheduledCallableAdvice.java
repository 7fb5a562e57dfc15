package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** Wraps the Callable argument of {@code ScheduledThreadPoolExecutor.schedule}, with or without a context, so that its failure is reported. */
public final class ScheduledCallableAdvice {
    private ScheduledCallableAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
        task = ExecutorBridge.wrapAlways(task);
    }
}
