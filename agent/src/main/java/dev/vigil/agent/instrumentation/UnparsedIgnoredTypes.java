package dev.vigil.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Describes types the way {@link AgentBuilder.DescriptionStrategy.Default#POOL_FIRST} does, except
 * the ones {@link IgnoredTypes} ignores: those get a lazy description that is never parsed.
 * ByteBuddy describes a class before it asks the ignore matcher, and POOL_FIRST reads and parses
 * the class file to do so; at installation, when every loaded class is considered for
 * retransformation, that parsed the JDK's classes one by one (hundreds of MB of garbage and the
 * module image's pages resident) only for the name test to ignore them.
 */
final class UnparsedIgnoredTypes implements AgentBuilder.DescriptionStrategy {
    private static final AgentBuilder.DescriptionStrategy PARSED = AgentBuilder.DescriptionStrategy.Default.POOL_FIRST;

    private final IgnoredTypes ignored;

    UnparsedIgnoredTypes(IgnoredTypes ignored) {
        this.ignored = ignored;
    }

    @Override
    public boolean isLoadedFirst() {
        return PARSED.isLoadedFirst();
    }

    @Override
    public TypeDescription apply(
            String name,
            Class<?> type,
            TypePool typePool,
            AgentBuilder.CircularityLock circularityLock,
            ClassLoader classLoader,
            JavaModule module) {
        if (ignored.ignored(name, classLoader)) {
            return typePool.describe(name).resolve(); // lazy: only its name is read, by the ignore matcher
        }
        return PARSED.apply(name, type, typePool, circularityLock, classLoader, module);
    }
}
