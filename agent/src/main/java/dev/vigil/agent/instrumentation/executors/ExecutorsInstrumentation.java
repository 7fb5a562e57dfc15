package dev.vigil.agent.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Context propagation across threads, and failures of tasks: the JDK's thread pools, fork/join
 * pools, CompletableFuture's async tasks and virtual threads. Every task is wrapped where the JDK
 * accepts or creates it, so executors built on these (Spring's, Guava's) are covered as well.
 */
public final class ExecutorsInstrumentation implements InstrumentationModule {
    private static final String ADVICE = "dev.vigil.agent.instrumentation.executors.";

    @Override
    public String name() {
        return "executors";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(
                new JdkType("java.util.concurrent.FutureTask")
                        .advise(
                                isConstructor().and(takesArguments(1)).and(takesArgument(0, Callable.class)),
                                "CallableTaskAdvice")
                        .advise(
                                isConstructor().and(takesArguments(2)).and(takesArgument(0, Runnable.class)),
                                "FutureTaskRunnableAdvice"),
                new JdkType("java.util.concurrent.ThreadPoolExecutor")
                        .advise(
                                named("execute").and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
                                "RunnableTaskAdvice"),
                new JdkType("java.util.concurrent.ScheduledThreadPoolExecutor")
                        .advise(
                                namedOneOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay")
                                        .and(takesArgument(0, Runnable.class)),
                                "ScheduledRunnableAdvice")
                        .advise(named("schedule").and(takesArgument(0, Callable.class)), "ScheduledCallableAdvice"),
                new JdkType("java.util.concurrent.ForkJoinPool")
                        .advise(
                                namedOneOf("execute", "submit").and(takesArgument(0, Runnable.class)),
                                "RunnableTaskAdvice")
                        .advise(
                                named("submit").and(takesArguments(1)).and(takesArgument(0, Callable.class)),
                                "CallableTaskAdvice"),
                new JdkType("java.util.concurrent.CompletableFuture$AsyncSupply")
                        .advise(
                                isConstructor().and(takesArguments(2)).and(takesArgument(1, Supplier.class)),
                                "AsyncSupplyAdvice"),
                new JdkType("java.util.concurrent.CompletableFuture$AsyncRun")
                        .advise(
                                isConstructor().and(takesArguments(2)).and(takesArgument(1, Runnable.class)),
                                "AsyncRunAdvice"),
                new JdkType("java.lang.VirtualThread")
                        .advise(
                                isConstructor().and(takesArguments(4)).and(takesArgument(3, Runnable.class)),
                                "VirtualThreadAdvice"));
    }

    /** One JDK class, by name, and the advice for its methods. */
    private static final class JdkType implements TypeInstrumentation {
        private final String type;
        private final List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<>();
        private final List<String> advice = new ArrayList<>();

        JdkType(String type) {
            this.type = type;
        }

        JdkType advise(ElementMatcher<? super MethodDescription> matcher, String adviceClass) {
            methods.add(matcher);
            advice.add(ADVICE + adviceClass);
            return this;
        }

        @Override
        public ElementMatcher<? super TypeDescription> typeMatcher() {
            return named(type);
        }

        @Override
        public void transform(Transformer transformer) {
            for (int i = 0; i < methods.size(); i++) {
                transformer.applyAdvice(methods.get(i), advice.get(i));
            }
        }
    }
}
