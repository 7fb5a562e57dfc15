package dev.vigil.agent.instrumentation.methodhooks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the advice parameter that says whether the hook is a timer, written as a constant into each
 * instrumented method: the clock is read only for timers, and the JIT removes the test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HookTimed {}
