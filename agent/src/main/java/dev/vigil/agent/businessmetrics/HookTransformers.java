package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.instrumentation.IgnoredTypes;
import dev.vigil.agent.instrumentation.InstrumentationInstaller;
import dev.vigil.agent.instrumentation.methodhooks.HookId;
import dev.vigil.agent.instrumentation.methodhooks.HookTimed;
import dev.vigil.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs and removes the transformers of hooks. Each declared hook has its own transformer, so a
 * reload retransforms only the classes of the hooks that changed; removing a transformer
 * retransforms its classes back (ByteBuddy's reset).
 */
final class HookTransformers {
    private static final AgentLog LOG = AgentLog.get(HookTransformers.class);
    static final String ADVICE_PACKAGE = "dev.vigil.agent.instrumentation.methodhooks.";
    static final String ADVICE = ADVICE_PACKAGE + "MethodHookAdvice";
    static final String ADVICE_NO_ARGUMENTS = ADVICE_PACKAGE + "MethodHookNoArgumentsAdvice";
    static final String WITH_SPAN_ADVICE = ADVICE_PACKAGE + "WithSpanAdvice";

    private final Instrumentation inst;
    private final ClassLoader agentLoader;
    private final Advice.ExceptionHandler onAdviceFailure;

    HookTransformers(Instrumentation inst, ClassLoader agentLoader) {
        this.inst = inst;
        this.agentLoader = agentLoader;
        this.onAdviceFailure = InstrumentationInstaller.adviceFailureHandler();
    }

    /** An installed declared hook: its transformer and how many methods it instrumented so far. */
    static final class Installed {
        final ResettableClassFileTransformer transformer;
        final AtomicInteger methods;

        Installed(ResettableClassFileTransformer transformer, AtomicInteger methods) {
            this.transformer = transformer;
            this.methods = methods;
        }
    }

    /** Instruments the methods of one declared hook, loaded classes included (retransformed). */
    Installed install(HookSpec spec, int id) {
        MethodSelector selector = spec.selector();
        ElementMatcher<MethodDescription> methods = selector.methodMatcher();
        AtomicInteger instrumented = new AtomicInteger();
        AgentBuilder.Transformer advice = new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping()
                        .bind(HookId.class, Integer.valueOf(id))
                        .bind(HookTimed.class, Boolean.valueOf(spec.kind() == MeterKind.TIMER)))
                .include(agentLoader)
                .withExceptionHandler(onAdviceFailure)
                .advice(methods, spec.readsCallValues() ? ADVICE : ADVICE_NO_ARGUMENTS);
        AgentBuilder.Transformer counting = (builder, type, loader, module, domain) -> {
            int n = type.getDeclaredMethods().filter(methods).size();
            instrumented.addAndGet(n);
            if (n == 0 && !selector.includesSubtypes()) {
                LOG.warnOnce(
                        "hook-method:" + spec,
                        "metric " + spec.name() + " (" + spec.location() + "): class " + type.getName()
                                + " has no method matching '" + selector + "'" + methodNames(type),
                        null);
            }
            return builder;
        };
        ResettableClassFileTransformer transformer = base(spec.toString())
                .type(selector.typeMatcher())
                .transform(counting)
                .transform(advice)
                .installOn(inst);
        return new Installed(transformer, instrumented);
    }

    /** Removes a hook's transformer and retransforms its classes back to their code without it. */
    void remove(ResettableClassFileTransformer transformer) {
        try {
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        } catch (RuntimeException e) {
            // the hook number is already inactive: the old advice, if it stays, records nothing
            LOG.warn("could not retransform classes back after removing a business metric hook", e);
        }
    }

    /** Every agent builder of hooks uses the installer's settings: advice only, no class format changes. */
    AgentBuilder base(String what) {
        return InstrumentationInstaller.agentBuilder(inst, IgnoredTypes.forHooks(agentLoader), new ErrorListener(what));
    }

    Advice.ExceptionHandler onAdviceFailure() {
        return onAdviceFailure;
    }

    ClassLoader agentLoader() {
        return agentLoader;
    }

    Instrumentation instrumentation() {
        return inst;
    }

    /** Whether a class of this name is loaded or can be found by a class loader in use (as a resource, never loaded). */
    boolean classExists(String name) {
        String resource = name.replace('.', '/') + ".class";
        Set<ClassLoader> loaders = new HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(name)) {
                return true;
            }
            ClassLoader l = c.getClassLoader();
            if (l != null && l != agentLoader) {
                loaders.add(l);
            }
        }
        if (ClassLoader.getSystemResource(resource) != null) {
            return true;
        }
        for (ClassLoader l : loaders) {
            try {
                if (l.getResource(resource) != null) {
                    return true;
                }
            } catch (RuntimeException e) {
                // a class loader that fails on lookups: it does not have it
            }
        }
        return false;
    }

    private static String methodNames(TypeDescription type) {
        Set<String> names = new TreeSet<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (!m.isConstructor() && !m.isTypeInitializer() && !m.isSynthetic()) {
                List<String> parameters = new ArrayList<>();
                for (TypeDescription p : m.getParameters().asTypeList().asErasures()) {
                    parameters.add(p.getActualName());
                }
                names.add(m.getName() + "(" + String.join(",", parameters) + ")");
            }
        }
        return names.isEmpty() ? "" : " (it declares " + String.join(", ", names) + ")";
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        private final String what;

        ErrorListener(String what) {
            this.what = what;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            LOG.warnOnce(
                    "hook-transform:" + typeName + ":" + what,
                    "could not instrument " + typeName + " for " + what + "; it runs unchanged",
                    error);
        }

        @Override
        public void onTransformation(
                TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("instrumented " + type.getName() + " for " + what + (loaded ? " (retransformed)" : ""));
            }
        }
    }
}
