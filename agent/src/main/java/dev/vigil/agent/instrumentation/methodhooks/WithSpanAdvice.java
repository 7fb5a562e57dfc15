package dev.vigil.agent.instrumentation.methodhooks;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into methods annotated with OpenTelemetry's {@code @WithSpan}. */
public final class WithSpanAdvice {
    private WithSpanAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@HookId int hook, @Advice.AllArguments Object[] arguments) {
        return MethodHookBridge.startSpan(hook, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object span, @Advice.Thrown Throwable thrown) {
        MethodHookBridge.endSpan(span, thrown);
    }
}
