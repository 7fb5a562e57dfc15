package dev.vigil.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.net.http.HttpClient}, sync and async: every send goes through
 * {@code HttpClientImpl.sendAsync} (the public {@code HttpClient} is a facade over it), and every
 * request is copied into an {@code HttpRequestImpl} before it is sent.
 */
public final class JavaHttpClientInstrumentation implements InstrumentationModule {
    @Override
    public String name() {
        return "java-http-client";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ClientType(), new RequestCopyType());
    }

    private static final class ClientType implements TypeInstrumentation {
        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return named("jdk.internal.net.http.HttpClientImpl");
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    named("sendAsync")
                            .and(takesArgument(0, named("java.net.http.HttpRequest")))
                            .and(returns(named("java.util.concurrent.CompletableFuture"))),
                    "dev.vigil.agent.instrumentation.javahttpclient.SendAsyncAdvice");
        }
    }

    private static final class RequestCopyType implements TypeInstrumentation {
        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return named("jdk.internal.net.http.HttpRequestImpl");
        }

        @Override
        public void transform(Transformer transformer) {
            transformer.applyAdvice(
                    isConstructor()
                            .and(takesArguments(2))
                            .and(takesArgument(0, named("java.net.http.HttpRequest")))
                            .and(takesArgument(1, named("java.net.ProxySelector"))),
                    "dev.vigil.agent.instrumentation.javahttpclient.RequestHeadersAdvice");
        }
    }
}
