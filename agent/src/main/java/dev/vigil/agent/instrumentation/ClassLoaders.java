package dev.vigil.agent.instrumentation;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/** Class-loader matchers that are cheap and cached, to keep start-up and class loading fast. */
public final class ClassLoaders {
    private ClassLoaders() {}

    /** Matches class loaders that can see all of the named classes (looked up as resources, never loaded). */
    public static ElementMatcher<ClassLoader> hasClasses(String... classNames) {
        return new HasClasses(classNames);
    }

    private static final class HasClasses implements ElementMatcher<ClassLoader> {
        private final String[] resources;
        private final Map<ClassLoader, Boolean> cache = new WeakHashMap<>();
        private volatile Boolean bootstrapResult;

        HasClasses(String[] classNames) {
            resources = new String[classNames.length];
            for (int i = 0; i < classNames.length; i++) {
                resources[i] = classNames[i].replace('.', '/') + ".class";
            }
        }

        @Override
        public boolean matches(ClassLoader loader) {
            if (loader == null) {
                Boolean b = bootstrapResult;
                if (b == null) {
                    b = lookup(ClassLoader.getPlatformClassLoader());
                    bootstrapResult = b;
                }
                return b;
            }
            synchronized (cache) {
                Boolean cached = cache.get(loader);
                if (cached != null) {
                    return cached;
                }
            }
            boolean result = lookup(loader);
            synchronized (cache) {
                cache.put(loader, result);
            }
            return result;
        }

        private boolean lookup(ClassLoader loader) {
            for (String resource : resources) {
                if (loader.getResource(resource) == null) {
                    return false;
                }
            }
            return true;
        }
    }
}
