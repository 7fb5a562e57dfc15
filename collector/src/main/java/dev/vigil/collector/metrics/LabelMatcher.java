package dev.vigil.collector.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Selects series by one label, as Prometheus does: a missing label matches as the empty string,
 * regular expressions match the whole value.
 */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {
    /** How the value is compared. */
    public enum Op {
        EQUAL("="),
        NOT_EQUAL("!="),
        MATCHES("=~"),
        NOT_MATCHES("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public LabelMatcher {
        requireNonNull(name, "name");
        requireNonNull(op, "op");
        requireNonNull(value, "value");
    }

    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(name, Op.EQUAL, value, null);
    }

    public static LabelMatcher notEqual(String name, String value) {
        return new LabelMatcher(name, Op.NOT_EQUAL, value, null);
    }

    /** @throws IllegalArgumentException if {@code regex} is not a valid Java regular expression */
    public static LabelMatcher matches(String name, String regex) {
        return new LabelMatcher(name, Op.MATCHES, regex, compile(regex));
    }

    /** @throws IllegalArgumentException if {@code regex} is not a valid Java regular expression */
    public static LabelMatcher notMatches(String name, String regex) {
        return new LabelMatcher(name, Op.NOT_MATCHES, regex, compile(regex));
    }

    /**
     * The rule files' {@code where} syntax: {@code value} (equals), {@code "!=value"},
     * {@code "=~regex"}, {@code "!~regex"}.
     *
     * @throws IllegalArgumentException for an invalid regular expression (the message says why)
     */
    public static LabelMatcher parse(String name, String spec) {
        requireNonNull(spec, "spec");
        if (spec.startsWith("!=")) {
            return notEqual(name, spec.substring(2));
        }
        if (spec.startsWith("=~")) {
            return matches(name, spec.substring(2));
        }
        if (spec.startsWith("!~")) {
            return notMatches(name, spec.substring(2));
        }
        return equal(name, spec);
    }

    public boolean test(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case MATCHES -> pattern.matcher(actual).matches();
            case NOT_MATCHES -> !pattern.matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value + '"';
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression " + regex + ": " + e.getDescription(), e);
        }
    }
}
