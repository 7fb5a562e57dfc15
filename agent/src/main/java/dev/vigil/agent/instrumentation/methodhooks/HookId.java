package dev.vigil.agent.instrumentation.methodhooks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the advice parameter that receives the hook's number. ByteBuddy writes the number as a
 * constant into each instrumented method, so the advice needs no lookup to know its hook.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HookId {}
