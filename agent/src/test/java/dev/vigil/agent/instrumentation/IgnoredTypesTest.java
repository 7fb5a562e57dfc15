package dev.vigil.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IgnoredTypesTest {
    private final ClassLoader agentLoader = new URLClassLoader(new URL[0], null);
    private final ClassLoader appLoader =
            new URLClassLoader(new URL[0], getClass().getClassLoader());
    private final IgnoredTypes instrumentations = IgnoredTypes.forInstrumentations(agentLoader);
    private final IgnoredTypes hooks = IgnoredTypes.forHooks(agentLoader);

    @Test
    void everyJdkTypeAnInstrumentationNamesIsLookedAt() {
        Set<String> named = new TreeSet<>();
        Pattern equalsName = Pattern.compile("equals\\(([\\w.$]+)\\)");
        for (InstrumentationModule module : Instrumentations.all()) {
            for (TypeInstrumentation type : module.typeInstrumentations()) {
                Matcher m = equalsName.matcher(type.typeMatcher().toString());
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        Set<String> jdkTypes = new TreeSet<>();
        for (String name : named) {
            if (name.startsWith("java.")
                    || name.startsWith("jdk.")
                    || name.startsWith("sun.")
                    || name.startsWith("com.sun.")) {
                jdkTypes.add(name);
            }
        }
        // the types of super-type matchers (java.sql.Statement, ...) are interfaces, never transformed themselves
        jdkTypes.removeIf(n -> n.startsWith("java.sql."));

        assertThat(jdkTypes).isNotEmpty();
        assertThat(IgnoredTypes.INSTRUMENTED_JDK_TYPES).containsAll(jdkTypes);
        for (String name : jdkTypes) {
            assertThat(instrumentations.ignored(name, null)).as(name).isFalse();
        }
    }

    @Test
    void otherJdkTypesAreIgnoredByNameAndLoader() {
        assertThat(instrumentations.ignored("java.util.HashMap", null)).isTrue();
        assertThat(instrumentations.ignored("java.util.concurrent.ConcurrentHashMap", null))
                .isTrue();
        assertThat(instrumentations.ignored("java.sql.DriverManager", ClassLoader.getPlatformClassLoader()))
                .isTrue();
        assertThat(instrumentations.ignored("sun.nio.ch.SocketChannelImpl", null))
                .isTrue();
        assertThat(instrumentations.ignored("java.util.concurrent.ThreadPoolExecutor", null))
                .isFalse();
    }

    @Test
    void applicationTypesInJdkLikePackagesAreLookedAt() {
        // servlet APIs and containers live in javax.* and com.sun.* but come from the application
        assertThat(instrumentations.ignored("javax.servlet.http.HttpServlet", appLoader))
                .isFalse();
        assertThat(instrumentations.ignored("com.sun.jersey.spi.container.servlet.ServletContainer", appLoader))
                .isFalse();
        assertThat(instrumentations.ignored("org.h2.jdbc.JdbcStatement", appLoader))
                .isFalse();
    }

    @Test
    void theAgentAndGeneratedClassesAreAlwaysIgnored() {
        for (IgnoredTypes ignored : new IgnoredTypes[] {instrumentations, hooks}) {
            assertThat(ignored.ignored("com.example.Anything", agentLoader)).isTrue();
            assertThat(ignored.ignored("dev.vigil.agent.core.AgentRuntime", appLoader))
                    .isTrue();
            assertThat(ignored.ignored("com.example.Shop$$Lambda$14/0x0000000800c01234", appLoader))
                    .isTrue();
            assertThat(ignored.ignored("java.lang.invoke.LambdaForm$MH/0x0000000800c00c00", null))
                    .isTrue();
        }
    }

    @Test
    void hooksMayNamePublicJdkTypesButNotInternalOnes() {
        assertThat(hooks.ignored("java.util.HashMap", null)).isFalse();
        assertThat(hooks.ignored("jdk.internal.misc.Unsafe", null)).isTrue();
        assertThat(hooks.ignored("sun.nio.ch.SocketChannelImpl", null)).isTrue();
        assertThat(hooks.ignored("com.example.Shop", appLoader)).isFalse();
    }
}
