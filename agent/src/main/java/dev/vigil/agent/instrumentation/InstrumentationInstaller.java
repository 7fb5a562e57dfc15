package dev.vigil.agent.instrumentation;

import dev.vigil.agent.bootstrap.AdviceErrors;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the enabled instrumentations with ByteBuddy. Advice is applied by class name from the
 * agent's class loader (never loaded there), every advice failure is suppressed and routed to
 * {@link AdviceErrors}, and transformation errors are counted and logged once per type.
 */
public final class InstrumentationInstaller {
    private static final AgentLog LOG = AgentLog.get(InstrumentationInstaller.class);

    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** Result of installation: the transformer (to remove it) and the enabled module names. */
    public static final class Installed {
        private final ResettableClassFileTransformer transformer;
        private final List<String> modules;
        private final InstrumentationInstaller installer;

        Installed(
                ResettableClassFileTransformer transformer, List<String> modules, InstrumentationInstaller installer) {
            this.transformer = transformer;
            this.modules = modules;
            this.installer = installer;
        }

        public ResettableClassFileTransformer transformer() {
            return transformer;
        }

        public List<String> modules() {
            return modules;
        }

        /** Classes transformed so far (including retransformed, already loaded ones). */
        public long transformedClasses() {
            return installer.transformed.get();
        }

        /** Classes whose transformation failed (they run unchanged). */
        public long failedClasses() {
            return installer.failed.get();
        }
    }

    public static Installed install(
            Instrumentation inst, AgentConfig config, List<InstrumentationModule> modules, ClassLoader agentLoader) {
        return new InstrumentationInstaller().doInstall(inst, config, modules, agentLoader);
    }

    private Installed doInstall(
            Instrumentation inst, AgentConfig config, List<InstrumentationModule> modules, ClassLoader agentLoader) {
        Advice.ExceptionHandler onAdviceFailure = adviceFailureHandler();

        // The Nexus serves live initializers, which disableClassFormatChanges() turns off anyway; creating it
        // touches sun.misc.Unsafe, which JDK 24+ reports on the host's console.
        System.setProperty(Nexus.PROPERTY, "true");
        AgentBuilder builder = agentBuilder(inst, IgnoredTypes.forInstrumentations(agentLoader), new Listener());

        List<String> enabled = new ArrayList<>();
        for (InstrumentationModule module : modules) {
            if (!config.instrumentationEnabled(module.name())) {
                LOG.info("instrumentation '" + module.name() + "' is disabled by configuration");
                continue;
            }
            enabled.add(module.name());
            for (TypeInstrumentation type : module.typeInstrumentations()) {
                List<AgentBuilder.Transformer> transformers = new ArrayList<>();
                type.transform((methods, adviceClassName) -> transformers.add(new AgentBuilder.Transformer.ForAdvice()
                        .include(agentLoader)
                        .withExceptionHandler(onAdviceFailure)
                        .advice(methods, adviceClassName)));
                if (transformers.isEmpty()) {
                    continue;
                }
                AgentBuilder.Identified.Extendable extendable = builder.type(
                                type.typeMatcher(), type.classLoaderMatcher())
                        .transform(transformers.get(0));
                for (int i = 1; i < transformers.size(); i++) {
                    extendable = extendable.transform(transformers.get(i));
                }
                builder = extendable;
            }
        }
        ResettableClassFileTransformer transformer = builder.installOn(inst);
        return new Installed(transformer, enabled, this);
    }

    /** Where every advice's suppressed failure goes: {@code AdviceErrors.record}, counted and logged once. */
    public static Advice.ExceptionHandler adviceFailureHandler() {
        try {
            return new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
                    new MethodDescription.ForLoadedMethod(AdviceErrors.class.getMethod("record", Throwable.class))));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("bridge class AdviceErrors is incomplete", e);
        }
    }

    /**
     * The ByteBuddy settings of every transformer the agent installs (the built-in instrumentations
     * and each business metric hook): advice only, with no class format changes so that loaded
     * classes can be retransformed, and type matching that parses as little as possible
     * (docs/agent-internals.md).
     */
    public static AgentBuilder agentBuilder(
            Instrumentation inst, IgnoredTypes ignored, AgentBuilder.Listener listener) {
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(JdkTypeCachingPoolStrategy.shared())
                .with(new UnparsedIgnoredTypes(ignored))
                .with(listener)
                .assureReadEdgeTo(inst, AdviceErrors.class)
                .ignore(ignored);
    }

    private final class Listener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(
                TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
            transformed.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("instrumented " + type.getName() + (loaded ? " (retransformed)" : ""));
            }
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            failed.incrementAndGet();
            LOG.warnOnce("transform:" + typeName, "could not instrument " + typeName + "; it runs unchanged", error);
        }
    }
}
