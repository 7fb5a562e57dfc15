package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's model: {@code name}, {@code value}, {@code isRegex},
 * {@code isEqual}. Regexes are anchored at both ends, as in Prometheus and Alertmanager.
 */
public final class LabelMatcher {
    private final String name;
    private final String value;
    private final boolean regex;
    private final boolean equal;
    private final Pattern pattern;

    private LabelMatcher(String name, String value, boolean regex, boolean equal) {
        this.name = requireNonNull(name, "name");
        this.value = requireNonNull(value, "value");
        this.regex = regex;
        this.equal = equal;
        this.pattern = regex ? Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL) : null;
    }

    /**
     * Creates a matcher.
     *
     * @throws IllegalArgumentException if {@code regex} is set and {@code value} is not a valid regex
     */
    public static LabelMatcher create(String name, String value, boolean regex, boolean equal) {
        try {
            return new LabelMatcher(name, value, regex, equal);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + value + "': " + e.getDescription(), e);
        }
    }

    /**
     * Parses the rule-file short form: {@code value} (equals), {@code !=value}, {@code =~regex},
     * {@code !~regex}.
     */
    public static LabelMatcher parseShortForm(String name, String spec) {
        if (spec.startsWith("!=")) {
            return create(name, spec.substring(2), false, false);
        }
        if (spec.startsWith("=~")) {
            return create(name, spec.substring(2), true, true);
        }
        if (spec.startsWith("!~")) {
            return create(name, spec.substring(2), true, false);
        }
        return create(name, spec, false, true);
    }

    public static boolean matchesAll(List<LabelMatcher> matchers, Labels labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean matches(Labels labels) {
        String actual = labels.get(name);
        boolean hit = regex ? pattern.matcher(actual).matches() : value.equals(actual);
        return hit == equal;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public boolean isRegex() {
        return regex;
    }

    public boolean isEqual() {
        return equal;
    }

    /** PromQL form, e.g. {@code error_type!=""}; the caller picks the label name spelling. */
    public String toPromQl(String labelName) {
        String op = regex ? (equal ? "=~" : "!~") : (equal ? "=" : "!=");
        return labelName + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m
                && name.equals(m.name)
                && value.equals(m.value)
                && regex == m.regex
                && equal == m.equal;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + value.hashCode() + (regex ? 2 : 0) + (equal ? 1 : 0);
    }

    @Override
    public String toString() {
        return toPromQl(name);
    }
}
