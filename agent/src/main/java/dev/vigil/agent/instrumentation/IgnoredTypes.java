package dev.vigil.agent.instrumentation;

import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * The types no instrumentation looks at, decided from the class name and loader alone. Every class
 * the JVM loads passes through each of the agent's transformers; a test that needs more than the
 * name (modifiers, super types) makes ByteBuddy read and parse the class file, which for the
 * thousands of JDK classes a server loads cost seconds of start-up and tens of MiB of resident
 * memory (the pages of the JDK's module image read for it). So JDK classes are skipped by name,
 * except the few the agent instruments.
 */
public final class IgnoredTypes implements AgentBuilder.RawMatcher {
    /**
     * The JDK classes an instrumentation matches, by exact name; every other JDK class is ignored
     * unparsed. A new instrumentation of a JDK class adds its name here (IgnoredTypesTest checks
     * that every JDK type named by an instrumentation is in this set).
     */
    static final Set<String> INSTRUMENTED_JDK_TYPES = new HashSet<>(Arrays.asList(
            "java.util.concurrent.FutureTask",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.CompletableFuture$AsyncSupply",
            "java.util.concurrent.CompletableFuture$AsyncRun",
            "java.lang.VirtualThread",
            "java.lang.Thread",
            // Built at run time: the build relocates the string constant java.util.logging.Logger in agent code.
            String.join(".", "java", "util", "logging", "Logger"),
            "java.util.logging.ConsoleHandler",
            "sun.net.www.protocol.http.HttpURLConnection",
            "jdk.internal.net.http.HttpClientImpl",
            "jdk.internal.net.http.HttpRequestImpl",
            "com.sun.net.httpserver.Filter$Chain"));

    /** The agent itself (its ByteBuddy, SDK and registry are relocated under it) and JVM plumbing. */
    private static final String[] AGENT_PREFIXES = {
        "dev.vigil.agent.", "jdk.internal.reflect.", "sun.reflect.", "java.lang.invoke."
    };

    private final ClassLoader agentLoader;
    private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
    private final boolean onlyInstrumentedJdkTypes;

    private IgnoredTypes(ClassLoader agentLoader, boolean onlyInstrumentedJdkTypes) {
        this.agentLoader = agentLoader;
        this.onlyInstrumentedJdkTypes = onlyInstrumentedJdkTypes;
    }

    /** For the built-in instrumentations: JDK classes not in {@link #INSTRUMENTED_JDK_TYPES} are ignored. */
    static IgnoredTypes forInstrumentations(ClassLoader agentLoader) {
        return new IgnoredTypes(agentLoader, true);
    }

    /**
     * For user-declared business metric hooks, which may name a public JDK class: only the agent
     * and the JDK's internal packages are ignored.
     */
    public static IgnoredTypes forHooks(ClassLoader agentLoader) {
        return new IgnoredTypes(agentLoader, false);
    }

    @Override
    public boolean matches(
            TypeDescription type,
            ClassLoader loader,
            JavaModule module,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain) {
        return ignored(type.getName(), loader);
    }

    boolean ignored(String name, ClassLoader loader) {
        if (loader == agentLoader
                || startsWithAny(name, AGENT_PREFIXES)
                || name.contains("$$Lambda")
                || name.indexOf('/') >= 0) { // hidden classes
            return true;
        }
        if (!onlyInstrumentedJdkTypes) {
            return name.startsWith("jdk.internal.") || name.startsWith("sun.");
        }
        // By loader, not by package: javax.servlet, com.sun.jersey and the like come from the application.
        boolean jdk = loader == null || loader == platformLoader || name.startsWith("java.");
        return jdk && !INSTRUMENTED_JDK_TYPES.contains(name);
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
