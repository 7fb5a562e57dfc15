package dev.vigil.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.security.CodeSource;

/**
 * Puts the bridge on the bootstrap class path, creates the isolated {@link AgentClassLoader} and
 * starts the agent core inside it. Uses JDK classes only: nothing from the agent's dependencies
 * may be loaded by the system class loader.
 */
public final class AgentLauncher {
    /** System property holding the agent's state, read back by {@link AttachCommand}. */
    public static final String STATE_PROPERTY = "vigil.agent.state";

    /** How the bridge classes reached the bootstrap loader (diagnostics). */
    public static final String BRIDGE_PROPERTY = "vigil.agent.bridge";

    private static final String STARTER = "dev.vigil.agent.core.AgentStarter";

    private AgentLauncher() {}

    public static void launch(String args, Instrumentation inst, boolean dynamicAttach) {
        try {
            synchronized (AgentLauncher.class) {
                String state = System.getProperty(STATE_PROPERTY);
                if (state != null && !state.startsWith("failed")) {
                    System.err.println("[vigil] agent already attached (" + state + "); ignoring second attach");
                    return;
                }
                System.setProperty(STATE_PROPERTY, "starting");
            }
            File jar = agentJar();
            // The bridge must be in the bootstrap loader before any class of dev.vigil.agent.bootstrap is
            // touched, so that it is defined once and visible to every application class loader.
            String bridge = BootstrapInjector.inject(inst, jar);
            System.setProperty(BRIDGE_PROPERTY, bridge);
            ClassLoader agentLoader = new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
            Class<?> starter = Class.forName(STARTER, true, agentLoader);
            Method start = starter.getMethod("start", String.class, Instrumentation.class, File.class, boolean.class);
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(agentLoader);
            try {
                start.invoke(null, args, inst, jar, dynamicAttach);
            } finally {
                thread.setContextClassLoader(previous);
            }
        } catch (Throwable t) {
            // Never let the agent stop the application: one line, and the app runs without Vigil.
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.setProperty(STATE_PROPERTY, "failed: " + cause);
            System.err.println("[vigil] agent failed to start; the application continues without it: " + cause);
        }
    }

    static File agentJar() throws URISyntaxException {
        CodeSource source = AgentLauncher.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate vigil-agent.jar (no code source)");
        }
        File file = new File(source.getLocation().toURI());
        if (!file.isFile()) {
            throw new IllegalStateException("vigil agent is not running from a jar: " + file);
        }
        return file;
    }
}
