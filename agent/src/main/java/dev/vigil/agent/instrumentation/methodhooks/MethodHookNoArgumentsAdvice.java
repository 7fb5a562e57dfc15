package dev.vigil.agent.instrumentation.methodhooks;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into methods whose hook needs neither arguments nor the return value: it allocates
 * nothing per call (no argument array, no boxing), which keeps counters and timers cheap.
 */
public final class MethodHookNoArgumentsAdvice {
    private MethodHookNoArgumentsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@HookId int hook, @HookTimed boolean timed, @Advice.Local("vigilStart") long start) {
        start = timed ? System.nanoTime() : 0L;
        return MethodHookBridge.enter(hook);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @HookId int hook,
            @Advice.Enter Object state,
            @Advice.Local("vigilStart") long start,
            @Advice.Thrown Throwable thrown) {
        MethodHookBridge.exit(hook, state, start, null, null, thrown);
    }
}
