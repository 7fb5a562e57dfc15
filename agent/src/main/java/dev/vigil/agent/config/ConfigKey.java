package dev.vigil.agent.config;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One documented setting of the agent: its name (without the {@code vigil.} prefix), the type of its
 * values, its default and a description. Every key is listed in docs/configuration.md.
 */
public final class ConfigKey<T> {
    private final String name;
    private final String type;
    private final String defaultValue;
    private final String description;
    private final String example;
    private final Function<String, T> parser;
    private final boolean reloadable;

    ConfigKey(
            String name,
            String type,
            String defaultValue,
            String description,
            String example,
            Function<String, T> parser,
            boolean reloadable) {
        this.name = requireNonNull(name, "name");
        this.type = requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.description = requireNonNull(description, "description");
        this.example = requireNonNull(example, "example");
        this.parser = requireNonNull(parser, "parser");
        this.reloadable = reloadable;
    }

    /** Name without the {@code vigil.} prefix, e.g. {@code metrics.port}. */
    public String name() {
        return name;
    }

    /** The name as a system property, e.g. {@code vigil.metrics.port}. */
    public String propertyName() {
        return "vigil." + name;
    }

    /** The name as an environment variable, e.g. {@code VIGIL_METRICS_PORT}. */
    public String environmentName() {
        return "VIGIL_"
                + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String type() {
        return type;
    }

    /** The default as written in configuration, or null when the key has no default. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public String example() {
        return example;
    }

    /** Whether a change in the configuration file takes effect without a restart. */
    public boolean reloadable() {
        return reloadable;
    }

    /** Parses a raw value; throws {@link IllegalArgumentException} with a readable message if malformed. */
    public T parse(String raw) {
        return parser.apply(raw);
    }

    @Override
    public String toString() {
        return propertyName();
    }
}
