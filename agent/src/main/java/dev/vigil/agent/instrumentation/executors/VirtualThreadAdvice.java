package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/** Wraps the task of a virtual thread (Java 21+) where it is created: every way of starting one (Thread.ofVirtual, the per-task executor) ends in this constructor. */
public final class VirtualThreadAdvice {
    private VirtualThreadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 3, readOnly = false) Runnable task) {
        task = ExecutorBridge.wrap(task);
    }
}
