package dev.vigil.agent.instrumentation.servlet;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.ClassLoaders;
import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Servlet API, javax (Servlet 4: Tomcat 9, Jetty 9/10) and jakarta (Servlet 5+: Tomcat 10/11,
 * Jetty 11/12). Hooked at {@code Servlet.service} and {@code Filter.doFilter}, which every container
 * calls, rather than inside any one container; a per-thread call depth makes the outermost of the
 * nested calls the request.
 */
public final class ServletInstrumentation implements InstrumentationModule {
    @Override
    public String name() {
        return "servlet";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(
                new ApiType("javax.servlet", "dev.vigil.agent.instrumentation.servlet.JavaxServletAdvice"),
                new ApiType("jakarta.servlet", "dev.vigil.agent.instrumentation.servlet.JakartaServletAdvice"));
    }

    /** Every concrete Servlet and Filter of one flavour of the API. */
    private static final class ApiType implements TypeInstrumentation {
        private final String api;
        private final String advice;

        ApiType(String api, String advice) {
            this.api = api;
            this.advice = advice;
        }

        @Override
        public ElementMatcher<ClassLoader> classLoaderMatcher() {
            return ClassLoaders.hasClasses(api + ".Servlet", api + ".http.HttpServletRequest");
        }

        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return not(isInterface()).and(hasSuperType(named(api + ".Servlet").or(named(api + ".Filter"))));
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    named("service")
                            .and(not(isAbstract()))
                            .and(takesArguments(2))
                            .and(takesArgument(0, named(api + ".ServletRequest")))
                            .and(takesArgument(1, named(api + ".ServletResponse"))),
                    advice);
            transformer.applyAdvice(
                    named("doFilter")
                            .and(not(isAbstract()))
                            .and(takesArguments(3))
                            .and(takesArgument(0, named(api + ".ServletRequest")))
                            .and(takesArgument(1, named(api + ".ServletResponse")))
                            .and(takesArgument(2, named(api + ".FilterChain"))),
                    advice);
        }
    }
}
