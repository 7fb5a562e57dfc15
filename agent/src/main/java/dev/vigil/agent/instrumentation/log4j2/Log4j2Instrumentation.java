package dev.vigil.agent.instrumentation.log4j2;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.NamedTypeInstrumentation;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Log4j 2 core: every enabled event once at {@code core.Logger.logMessage} (and the location-aware
 * {@code log}), and {@code AbstractOutputStreamAppender.append} of console appenders for
 * {@code vigil.logs.json=console}. The application's log4j2.xml is neither read nor changed.
 */
public final class Log4j2Instrumentation implements InstrumentationModule {
    private static final String CORE = "org.apache.logging.log4j.core.";
    private static final String ADVICE = "dev.vigil.agent.instrumentation.log4j2.";

    @Override
    public String name() {
        return "log4j2";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(
                loggerDispatch(CORE + "Logger"),
                // async loggers override both methods without calling the base class; the call still
                // happens on the application's thread, where the span is current
                loggerDispatch(CORE + "async.AsyncLogger"),
                NamedTypeInstrumentation.inLoadersWith(CORE + "appender.AbstractOutputStreamAppender")
                        .advise(named("append").and(takesArguments(1)), ADVICE + "ConsoleJsonAdvice"));
    }

    private static NamedTypeInstrumentation loggerDispatch(String type) {
        return NamedTypeInstrumentation.inLoadersWith(type)
                .advise(
                        named("logMessage")
                                .and(takesArguments(5))
                                .and(takesArgument(3, named("org.apache.logging.log4j.message.Message"))),
                        ADVICE + "LogMessageAdvice")
                .advise(
                        named("log").and(takesArguments(6)).and(takesArgument(3, StackTraceElement.class)),
                        ADVICE + "LocationLogAdvice");
    }
}
