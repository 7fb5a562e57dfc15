package dev.vigil.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * ByteBuddy's default pool strategy parses every type a matcher looks at afresh for each class
 * being transformed. Matchers that walk the type hierarchy (servlets, JDBC statements) reach the
 * same JDK types over and over ({@code java.lang.Object}, {@code java.io.Serializable},
 * {@code java.lang.AutoCloseable} ...), so most of the agent's start-up time and allocation went
 * into re-reading the same JDK class files. This strategy keeps application types per
 * transformation, as before, and describes {@code java.*} types through one shared pool over the
 * platform loader: only the JDK can define {@code java.*} classes, so a description is valid for
 * every class loader, and the shared pool never references an application loader (no leak on
 * redeploy). Its cache holds soft references, so it never keeps memory the heap needs.
 */
final class JdkTypeCachingPoolStrategy extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    private final TypePool jdkTypes = new TypePool.Default.WithLazyResolution(
            new TypePool.CacheProvider.Simple.UsingSoftReference(),
            ClassFileLocator.ForClassLoader.ofPlatformLoader(),
            TypePool.Default.ReaderMode.FAST);

    private static final JdkTypeCachingPoolStrategy SHARED = new JdkTypeCachingPoolStrategy();

    private JdkTypeCachingPoolStrategy() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    /** One instance for all of the agent's transformers, so they share the JDK descriptions. */
    static JdkTypeCachingPoolStrategy shared() {
        return SHARED;
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader classLoader) {
        return new PerTransformation();
    }

    private static boolean isJdkType(String name) {
        return name.startsWith("java.");
    }

    /** The cache of one transformation: its own map for application types, the shared pool for the JDK's. */
    private final class PerTransformation implements TypePool.CacheProvider {
        private final TypePool.CacheProvider local = new TypePool.CacheProvider.Simple();

        @Override
        public TypePool.Resolution find(String name) {
            return isJdkType(name) ? jdkTypes.describe(name) : local.find(name);
        }

        @Override
        public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            return isJdkType(name) ? resolution : local.register(name, resolution);
        }

        @Override
        public void clear() {
            local.clear();
        }
    }
}
