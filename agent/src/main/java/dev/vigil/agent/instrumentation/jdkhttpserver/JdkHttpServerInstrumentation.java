package dev.vigil.agent.instrumentation.jdkhttpserver;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The JDK's built-in {@code com.sun.net.httpserver}. Every exchange passes through
 * {@code Filter.Chain.doFilter} (user filters, then system filters, then the handler); the outermost
 * call on the thread is the request.
 */
public final class JdkHttpServerInstrumentation implements InstrumentationModule, TypeInstrumentation {
    @Override
    public String name() {
        return "jdk-httpserver";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.singletonList(this);
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
        return named("com.sun.net.httpserver.Filter$Chain");
    }

    @Override
    public void transform(Transformer transformer) {
        transformer.applyAdvice(
                named("doFilter")
                        .and(takesArguments(1))
                        .and(takesArgument(0, named("com.sun.net.httpserver.HttpExchange"))),
                "dev.vigil.agent.instrumentation.jdkhttpserver.FilterChainAdvice");
    }
}
