package dev.vigil.agent.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's resolved configuration: every key parsed once at start-up, with malformed or unknown
 * values already reported as warnings and replaced by defaults. Immutable.
 */
public final class AgentConfig {
    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, String> sources;
    private final Map<String, Boolean> instrumentationSwitches;
    private final Set<String> sections;
    private final List<String> warnings;

    AgentConfig(
            Map<ConfigKey<?>, Object> values,
            Map<ConfigKey<?>, String> sources,
            Map<String, Boolean> instrumentationSwitches,
            Set<String> sections,
            List<String> warnings) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.instrumentationSwitches = Collections.unmodifiableMap(instrumentationSwitches);
        this.sections = Collections.unmodifiableSet(sections);
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /** Configuration made of defaults only. */
    public static AgentConfig defaults() {
        return ConfigLoader.builder().load();
    }

    /** The value of {@code key}, or null when it is not set and has no default. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key);
    }

    /** Where the value of {@code key} came from: default, file, environment, system property or agent argument. */
    public String source(ConfigKey<?> key) {
        return sources.getOrDefault(key, "default");
    }

    /** Whether the named instrumentation is on ({@code instrumentation.<name>.enabled}, default true). */
    public boolean instrumentationEnabled(String name) {
        List<String> disabled = get(AgentSettings.INSTRUMENTATION_DISABLED);
        if (disabled != null && disabled.contains(name)) {
            return false;
        }
        return instrumentationSwitches.getOrDefault(name, Boolean.TRUE);
    }

    /** Structured sections found in the configuration file, e.g. {@code metrics} (business metrics). */
    public Set<String> sections() {
        return sections;
    }

    /** Problems found while loading; each names the key, the source and what was used instead. */
    public List<String> warnings() {
        return warnings;
    }
}
