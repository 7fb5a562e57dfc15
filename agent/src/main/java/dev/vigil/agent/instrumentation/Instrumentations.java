package dev.vigil.agent.instrumentation;

import dev.vigil.agent.instrumentation.executors.ExecutorsInstrumentation;
import dev.vigil.agent.instrumentation.httpurlconnection.HttpUrlConnectionInstrumentation;
import dev.vigil.agent.instrumentation.javahttpclient.JavaHttpClientInstrumentation;
import dev.vigil.agent.instrumentation.jdbc.JdbcInstrumentation;
import dev.vigil.agent.instrumentation.jdkhttpserver.JdkHttpServerInstrumentation;
import dev.vigil.agent.instrumentation.jul.JulInstrumentation;
import dev.vigil.agent.instrumentation.log4j2.Log4j2Instrumentation;
import dev.vigil.agent.instrumentation.logback.LogbackInstrumentation;
import dev.vigil.agent.instrumentation.servlet.ServletInstrumentation;
import dev.vigil.agent.instrumentation.uncaught.UncaughtExceptionInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The registry of every instrumentation the agent ships. Add a module here to ship it. */
public final class Instrumentations {
    private Instrumentations() {}

    public static List<InstrumentationModule> all() {
        return Collections.unmodifiableList(Arrays.asList(
                new JdkHttpServerInstrumentation(),
                new ServletInstrumentation(),
                new JavaHttpClientInstrumentation(),
                new HttpUrlConnectionInstrumentation(),
                new JdbcInstrumentation(),
                new LogbackInstrumentation(),
                new Log4j2Instrumentation(),
                new JulInstrumentation(),
                new UncaughtExceptionInstrumentation(),
                new ExecutorsInstrumentation()));
    }

    public static Set<String> names(List<InstrumentationModule> modules) {
        Set<String> names = new LinkedHashSet<>();
        for (InstrumentationModule m : modules) {
            names.add(m.name());
        }
        return names;
    }
}
