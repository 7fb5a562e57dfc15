package dev.vigil.agent.instrumentation.executors;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import java.util.function.Supplier;
import net.bytebuddy.asm.Advice;

/** Wraps the Supplier of {@code CompletableFuture.supplyAsync} in the constructor of its task, whatever the executor. */
public final class AsyncSupplyAdvice {
    private AsyncSupplyAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 1, readOnly = false) Supplier<?> task) {
        task = ExecutorBridge.wrap(task);
    }
}
