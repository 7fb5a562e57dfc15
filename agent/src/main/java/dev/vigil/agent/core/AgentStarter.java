package dev.vigil.agent.core;

import dev.vigil.agent.bootstrap.AdviceErrors;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.config.ConfigLoader;
import dev.vigil.agent.instrumentation.InstrumentationInstaller;
import dev.vigil.agent.instrumentation.InstrumentationModule;
import dev.vigil.agent.instrumentation.Instrumentations;
import dev.vigil.agent.log.AgentLog;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the agent inside its isolated class loader (called reflectively by the launcher).
 * Installs the instrumentation synchronously, so classes loaded from now on are instrumented, and
 * builds the rest of the runtime on a background thread (for -javaagent) so start-up stays fast.
 */
public final class AgentStarter {
    private static final AgentLog LOG = AgentLog.get(AgentStarter.class);
    private static final String STATE_PROPERTY = "vigil.agent.state";

    private AgentStarter() {}

    public static void start(String args, Instrumentation inst, File agentJar, boolean dynamicAttach) {
        long started = System.nanoTime();
        List<InstrumentationModule> modules = Instrumentations.all();
        AgentConfig config = ConfigLoader.builder()
                .agentArgs(args)
                .environment(System.getenv())
                .systemProperties(systemProperties())
                .instrumentationNames(Instrumentations.names(modules))
                .load();
        AgentLog.setLevel(AgentLog.Level.parse(config.get(AgentSettings.LOG_LEVEL)));
        for (String warning : config.warnings()) {
            LOG.warn("configuration: " + warning);
        }
        if (!config.get(AgentSettings.ENABLED)) {
            System.setProperty(STATE_PROPERTY, "disabled");
            LOG.info("disabled by vigil.enabled=false (" + config.source(AgentSettings.ENABLED) + ")");
            return;
        }
        System.setProperty(STATE_PROPERTY, "starting");
        AdviceErrors.setReporter(error -> LOG.warnOnce(
                "advice:" + error.getClass().getName(),
                "instrumentation failure suppressed, the application was not affected",
                error));

        AgentRuntime runtime = new AgentRuntime(config);
        ClassLoader agentLoader = AgentStarter.class.getClassLoader();
        Runnable init = () -> {
            try {
                long t0 = System.nanoTime();
                InstrumentationInstaller.Installed installed =
                        InstrumentationInstaller.install(inst, config, modules, agentLoader);
                long t1 = System.nanoTime();
                runtime.start(inst, agentLoader);
                System.setProperty(
                        STATE_PROPERTY,
                        "running vigil-agent " + AgentVersion.get() + ", instrumentations "
                                + String.join(",", installed.modules()) + ", " + installed.transformedClasses()
                                + " classes instrumented");
                LOG.info("vigil-agent " + AgentVersion.get() + " ready: instrumentation installed in "
                        + (t1 - t0) / 1_000_000 + " ms (" + installed.transformedClasses() + " classes), runtime in "
                        + (System.nanoTime() - t1) / 1_000_000 + " ms (" + (dynamicAttach ? "attached" : "premain")
                        + ", " + agentJar.getName() + ")");
            } catch (Throwable t) {
                System.setProperty(STATE_PROPERTY, "failed: " + t);
                LOG.error("agent failed to start; the application continues without it", t);
            }
        };
        if (dynamicAttach) {
            init.run(); // the attach command reports the real outcome
        } else {
            // Installing the instrumentation means loading ByteBuddy (~1,000 classes): do it beside the
            // application's own start-up instead of before it. Classes the application loads meanwhile are
            // instrumented by retransformation, exactly as after a dynamic attach.
            AgentThreads.start("init", init);
        }
        Runtime.getRuntime().addShutdownHook(AgentThreads.factory("shutdown").newThread(runtime::shutdown));
        LOG.debug("premain done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> out = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("vigil.") || name.startsWith("otel.")) {
                out.put(name, System.getProperty(name));
            }
        }
        return out;
    }
}
