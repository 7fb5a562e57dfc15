package dev.vigil.agent.instrumentation.methodhooks;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into methods whose hook reads arguments or the return value. */
public final class MethodHookAdvice {
    private MethodHookAdvice() {}

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
            @Advice.AllArguments Object[] arguments,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown Throwable thrown) {
        MethodHookBridge.exit(hook, state, start, arguments, returned, thrown);
    }
}
