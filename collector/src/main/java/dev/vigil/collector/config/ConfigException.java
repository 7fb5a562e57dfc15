package dev.vigil.collector.config;

import java.util.List;

/** The configuration is invalid; {@link #problems()} holds one {@code file:line:column: message} each. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
