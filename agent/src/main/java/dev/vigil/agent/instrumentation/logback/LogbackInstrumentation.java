package dev.vigil.agent.instrumentation.logback;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.NamedTypeInstrumentation;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * The application's Logback (not the agent's shaded copy): every event once at
 * {@code Logger.callAppenders} (MDC ids, error recording, shipping, JSON file), and the console
 * appenders' {@code OutputStreamAppender.subAppend} for {@code vigil.logs.json=console}. The
 * application's logback.xml is neither read nor changed.
 */
public final class LogbackInstrumentation implements InstrumentationModule {
    /** Built at run time: the build relocates string constants that name Logback, which the agent bundles. */
    static final String PACKAGE = String.join(".", "ch", "qos", "logback");

    private static final String ADVICE = "dev.vigil.agent.instrumentation.logback.";

    @Override
    public String name() {
        return "logback";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(
                NamedTypeInstrumentation.inLoadersWith(PACKAGE + ".classic.Logger")
                        .advise(named("callAppenders").and(takesArguments(1)), ADVICE + "CallAppendersAdvice"),
                NamedTypeInstrumentation.inLoadersWith(PACKAGE + ".core.OutputStreamAppender")
                        .advise(named("subAppend").and(takesArguments(1)), ADVICE + "ConsoleJsonAdvice"));
    }
}
