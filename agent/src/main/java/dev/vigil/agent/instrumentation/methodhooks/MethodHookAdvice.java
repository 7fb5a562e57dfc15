package dev.vigil.agent.instrumentation.methodhooks;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into methods whose hook reads arguments or the return value. */
public final class MethodHookAdvice {
    private MethodHookAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(@HookId int hook) {
        return MethodHookBridge.enter(hook);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @HookId int hook,
            @Advice.Enter long state,
            @Advice.AllArguments Object[] arguments,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown Throwable thrown) {
        MethodHookBridge.exit(hook, state, arguments, returned, thrown);
    }
}
