package dev.vigil.agent.instrumentation.jul;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.NamedTypeInstrumentation;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * java.util.logging: every record once at {@code Logger.log(LogRecord)}, where all of JUL's logging
 * methods end, and {@code ConsoleHandler.publish} for {@code vigil.logs.json=console}. JUL has no
 * MDC: its JSON lines and shipped records carry the trace ids of the current span.
 */
public final class JulInstrumentation implements InstrumentationModule {
    /** Built at run time: the build relocates the string constant java.util.logging.Logger in agent code. */
    static final String PACKAGE = String.join(".", "java", "util", "logging");

    private static final String ADVICE = "dev.vigil.agent.instrumentation.jul.";

    @Override
    public String name() {
        return "jul";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(
                NamedTypeInstrumentation.of(PACKAGE + ".Logger")
                        .advise(
                                named("log")
                                        .and(takesArguments(1))
                                        .and(net.bytebuddy.matcher.ElementMatchers.takesArgument(
                                                0, named(PACKAGE + ".LogRecord"))),
                                ADVICE + "LoggerLogAdvice"),
                NamedTypeInstrumentation.of(PACKAGE + ".ConsoleHandler")
                        .advise(named("publish").and(takesArguments(1)), ADVICE + "ConsoleJsonAdvice"));
    }
}
