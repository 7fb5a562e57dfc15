package dev.vigil.agent.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge classes ({@code dev/vigil/agent/bootstrap/**}) in the bootstrap class loader.
 *
 * <p>Appending the agent jar to the bootstrap search path would do it too, but the JVM then turns
 * off class-data sharing for every application class (and prints a warning about it), which makes
 * the host start slower. So the classes are defined directly; the append is the fallback.
 */
final class BootstrapInjector {
    private static final String BRIDGE_PREFIX = "dev/vigil/agent/bootstrap/";

    private BootstrapInjector() {}

    /** Returns a short description of how the bridge was installed, for diagnostics. */
    static String inject(Instrumentation inst, File agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar, false)) {
            Map<String, byte[]> classes = bridgeClasses(jar);
            try {
                defineInBootLoader(inst, classes);
                return "defined " + classes.size() + " bridge classes";
            } catch (Throwable e) {
                // Unsafe not reachable on this JVM: fall back to the documented mechanism.
                inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar, false));
                return "appended to bootstrap search path (" + e.getClass().getSimpleName() + ")";
            }
        }
    }

    private static Map<String, byte[]> bridgeClasses(JarFile jar) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            String name = entry.getName();
            if (name.startsWith(BRIDGE_PREFIX) && name.endsWith(".class") && !name.endsWith("package-info.class")) {
                try (InputStream in = jar.getInputStream(entry)) {
                    out.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no bridge classes in " + jar.getName());
        }
        return out;
    }

    private static void defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes) throws Exception {
        Module javaBase = Object.class.getModule();
        Module self = BootstrapInjector.class.getModule();
        inst.redefineModule(
                javaBase,
                Collections.emptySet(),
                Collections.singletonMap("jdk.internal.misc", Collections.singleton(self)),
                Collections.emptyMap(),
                Collections.emptySet(),
                Collections.emptyMap());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod(
                "defineClass",
                String.class,
                byte[].class,
                int.class,
                int.class,
                ClassLoader.class,
                java.security.ProtectionDomain.class);
        // Define in passes: a class whose supertype is another bridge class waits for it.
        List<String> pending = new ArrayList<>(classes.keySet());
        while (!pending.isEmpty()) {
            List<String> failed = new ArrayList<>();
            Throwable last = null;
            for (String name : pending) {
                if (alreadyDefined(name)) {
                    continue;
                }
                byte[] bytes = classes.get(name);
                try {
                    define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    failed.add(name);
                    last = e.getCause();
                }
            }
            if (failed.size() == pending.size()) {
                throw new IllegalStateException("cannot define bridge classes " + failed, last);
            }
            pending = failed;
        }
    }

    private static boolean alreadyDefined(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** For tests: the bridge classes of a jar. */
    static Set<String> bridgeClassNames(File agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar, false)) {
            return bridgeClasses(jar).keySet();
        }
    }
}
