package dev.vigil.agent.errors;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's rule (YAML section {@code errors.rules}): matchers on an exception of the cause chain
 * (type or supertype name, message pattern, SQLState prefix), the HTTP status and the component,
 * all of which must hold; and what to decide (category, retryable, severity, or ignore). Rules are
 * tried in order before the built-in knowledge, and the first that matches wins.
 */
public final class ErrorRule {
    private final String where;
    private final String type;
    private final Pattern message;
    private final String sqlState;
    private final int statusMin;
    private final int statusMax;
    private final ErrorComponent component;
    private final ErrorCategory category;
    private final Boolean retryable;
    private final ErrorSeverity severity;
    private final boolean ignore;

    private ErrorRule(Builder b) {
        this.where = b.where;
        this.type = b.type;
        this.message = b.message;
        this.sqlState = b.sqlState;
        this.statusMin = b.statusMin;
        this.statusMax = b.statusMax;
        this.component = b.component;
        this.category = b.category;
        this.retryable = b.retryable;
        this.severity = b.severity;
        this.ignore = b.ignore;
    }

    /** @param where the rule's position for messages, e.g. {@code vigil.yaml:12} */
    public static Builder builder(String where) {
        return new Builder(where);
    }

    /** Whether this rule is about the failure as a whole (status, component) rather than one exception. */
    private boolean hasExceptionMatcher() {
        return type != null || message != null || sqlState != null;
    }

    boolean matches(FailureLink link, int status, ErrorComponent seenBy) {
        if (component != null && component != seenBy) {
            return false;
        }
        if (statusMin > 0 && (status < statusMin || status > statusMax)) {
            return false;
        }
        if (link == null) {
            return !hasExceptionMatcher();
        }
        if (type != null && !link.typeNames.contains(type)) {
            return false;
        }
        if (sqlState != null
                && (link.sqlState == null
                        || !link.sqlState.toUpperCase(Locale.ROOT).startsWith(sqlState))) {
            return false;
        }
        return message == null
                || (link.message != null && message.matcher(link.message).find());
    }

    ErrorCategory category() {
        return category;
    }

    Boolean retryable() {
        return retryable;
    }

    ErrorSeverity severity() {
        return severity;
    }

    boolean ignore() {
        return ignore;
    }

    @Override
    public String toString() {
        return "error rule at " + where;
    }

    /** Builds a rule, validating every field with a message that names the rule's position. */
    public static final class Builder {
        private final String where;
        private String type;
        private Pattern message;
        private String sqlState;
        private int statusMin;
        private int statusMax;
        private ErrorComponent component;
        private ErrorCategory category;
        private Boolean retryable;
        private ErrorSeverity severity;
        private boolean ignore;

        private Builder(String where) {
            this.where = where;
        }

        /** Fully qualified class name of the exception or of one of its superclasses. */
        public Builder type(String value) {
            String t = value.trim();
            if (t.isEmpty() || t.indexOf(' ') >= 0) {
                throw bad("type must be a fully qualified class name, got '" + value + "'");
            }
            this.type = t;
            return this;
        }

        /** A regular expression searched for in the exception's message. */
        public Builder message(String regex) {
            try {
                this.message = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw bad("message is not a valid regular expression: " + e.getDescription() + " in '" + regex + "'");
            }
            return this;
        }

        /** A SQLState or its prefix (class): {@code 23505}, {@code 23}. */
        public Builder sqlState(String value) {
            String s = value.trim().toUpperCase(Locale.ROOT);
            if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isLetterOrDigit)) {
                throw bad("sql_state must be a SQLState or its prefix (1 to 5 letters or digits), got '" + value + "'");
            }
            this.sqlState = s;
            return this;
        }

        /** An HTTP status ({@code 503}) or a class of them ({@code 5xx}). */
        public Builder status(String value) {
            String s = value.trim().toLowerCase(Locale.ROOT);
            if (s.matches("[1-5]xx")) {
                statusMin = (s.charAt(0) - '0') * 100;
                statusMax = statusMin + 99;
            } else if (s.matches("[1-5]\\d\\d")) {
                statusMin = Integer.parseInt(s);
                statusMax = statusMin;
            } else {
                throw bad("status must be an HTTP status such as 503 or a class such as 5xx, got '" + value + "'");
            }
            return this;
        }

        /** Where the failure was seen: http_server, http_client, db, executor, logger, uncaught, ... */
        public Builder component(String value) {
            for (ErrorComponent c : ErrorComponent.values()) {
                if (c.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    this.component = c;
                    return this;
                }
            }
            throw bad("unknown component '" + value + "'; known: " + labels(ErrorComponent.values()));
        }

        public Builder category(String value) {
            ErrorCategory c = ErrorCategory.fromLabel(value);
            if (c == null) {
                throw bad("unknown category '" + value + "'; known: " + labels(ErrorCategory.values()));
            }
            this.category = c;
            return this;
        }

        public Builder retryable(boolean value) {
            this.retryable = value;
            return this;
        }

        public Builder severity(String value) {
            ErrorSeverity s = ErrorSeverity.fromLabel(value);
            if (s == null) {
                throw bad("unknown severity '" + value + "'; known: critical, error, warning, info");
            }
            this.severity = s;
            return this;
        }

        public Builder ignore(boolean value) {
            this.ignore = value;
            return this;
        }

        public ErrorRule build() {
            if (type == null && message == null && sqlState == null && statusMin == 0 && component == null) {
                throw bad("a rule needs at least one of type, message, sql_state, status, component");
            }
            if (category == null && retryable == null && severity == null && !ignore) {
                throw bad("a rule needs at least one of category, retryable, severity, ignore");
            }
            return new ErrorRule(this);
        }

        private IllegalArgumentException bad(String problem) {
            return new IllegalArgumentException(where + ": " + problem);
        }

        private static String labels(Enum<?>[] values) {
            StringBuilder b = new StringBuilder();
            for (Enum<?> v : values) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(v.name().toLowerCase(Locale.ROOT));
            }
            return b.toString();
        }
    }
}
