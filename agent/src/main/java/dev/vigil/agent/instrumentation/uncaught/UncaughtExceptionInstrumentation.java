package dev.vigil.agent.instrumentation.uncaught;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.NamedTypeInstrumentation;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Uncaught exceptions, at {@code Thread.dispatchUncaughtException}: the JVM calls it for every thread
 * that dies of an exception, before the thread's handler, the application's default handler (set
 * before or after the agent started) or the JVM's own printing. None of those is replaced, wrapped
 * or skipped, so the application's handler sees exactly what it saw without the agent.
 */
public final class UncaughtExceptionInstrumentation implements InstrumentationModule {
    @Override
    public String name() {
        return "uncaught-exceptions";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.singletonList(NamedTypeInstrumentation.of("java.lang.Thread")
                .advise(
                        named("dispatchUncaughtException").and(takesArguments(1)),
                        "dev.vigil.agent.instrumentation.uncaught.DispatchUncaughtAdvice"));
    }
}
