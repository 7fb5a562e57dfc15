package dev.vigil.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code HttpURLConnection} as the JDK implements it, for http and https (whose delegate extends it). */
public final class HttpUrlConnectionInstrumentation implements InstrumentationModule, TypeInstrumentation {
    @Override
    public String name() {
        return "http-url-connection";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.singletonList(this);
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
        return named("sun.net.www.protocol.http.HttpURLConnection");
    }

    @Override
    public void transform(Transformer transformer) {
        transformer.applyAdvice(
                namedOneOf("connect", "getOutputStream", "getInputStream").and(takesArguments(0)),
                "dev.vigil.agent.instrumentation.httpurlconnection.HttpUrlConnectionAdvice");
    }
}
