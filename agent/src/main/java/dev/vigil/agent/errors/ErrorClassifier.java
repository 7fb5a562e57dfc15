package dev.vigil.agent.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Gives every failure a category, retry advice, severity and the component that saw it.
 *
 * <p>User rules are tried first, in order. Then the cause chain is walked from the root cause
 * outwards (what actually failed decides; wrappers such as {@code ExecutionException} or a
 * framework's own exception say nothing), and the first exception the built-in knowledge
 * recognises decides: a message hint on its type, its JDBC vendor code, its SQLState, an HTTP status
 * it carries, a gRPC code, then its type or nearest known supertype. A failure known only by its
 * HTTP status is classified by the status. Types are matched by name: nothing is loaded.
 *
 * <p>Thread-safe and allocation-light; never throws for any throwable.
 */
public final class ErrorClassifier {
    private static final ErrorClassifier DEFAULT = new ErrorClassifier(Collections.emptyList());

    private final KnownErrors known = KnownErrors.builtIn();
    private final List<ErrorRule> rules;

    private ErrorClassifier(List<ErrorRule> rules) {
        this.rules = rules;
    }

    /** The built-in knowledge only. */
    public static ErrorClassifier create() {
        return DEFAULT;
    }

    /** The built-in knowledge with the user's rules tried first, in order. */
    public static ErrorClassifier withRules(List<ErrorRule> rules) {
        return rules == null || rules.isEmpty()
                ? DEFAULT
                : new ErrorClassifier(Collections.unmodifiableList(new ArrayList<>(rules)));
    }

    /** Classifies a throwable seen by {@code component}. */
    public ErrorClassification classify(Throwable error, ErrorComponent component) {
        return classify(FailureLink.chainOf(error), 0, component);
    }

    /** Classifies a throwable that came with an HTTP answer (a client call that got a status). */
    public ErrorClassification classify(Throwable error, int httpStatus, ErrorComponent component) {
        return classify(FailureLink.chainOf(error), httpStatus, component);
    }

    /** Classifies a failure known only by its HTTP status (a 5xx answered, a 429 received). */
    public ErrorClassification classifyStatus(int httpStatus, ErrorComponent component) {
        return classify(Collections.emptyList(), httpStatus, component);
    }

    /** Classifies a parsed stack trace (exception type names only), as the collector has it. */
    public ErrorClassification classify(List<ExceptionInfo> chain, ErrorComponent component) {
        return classify(FailureLink.chainOf(chain), 0, component);
    }

    ErrorClassification classify(List<FailureLink> chain, int status, ErrorComponent component) {
        ErrorRule rule = matchingRule(chain, status, component);
        Verdict verdict = null;
        String decidedBy = null;
        for (int i = chain.size() - 1; i >= 0 && verdict == null; i--) {
            FailureLink link = chain.get(i);
            verdict = verdict(link);
            if (verdict != null) {
                decidedBy = link.type();
            }
        }
        if (verdict == null && status > 0) {
            verdict = statusVerdict(status);
            decidedBy = Integer.toString(status);
        }
        if (decidedBy == null) {
            // nothing recognised: name the root cause, which is what failed
            decidedBy = chain.isEmpty()
                    ? (status > 0 ? Integer.toString(status) : "unknown")
                    : chain.get(chain.size() - 1).type();
        }
        ErrorCategory category = verdict == null ? ErrorCategory.UNKNOWN : verdict.category;
        boolean retryable = verdict == null ? category.defaultRetryable() : verdict.retryable;
        ErrorSeverity severity = category.defaultSeverity();
        boolean ignored = false;
        if (rule != null) {
            if (rule.category() != null && rule.category() != category) {
                category = rule.category();
                retryable = category.defaultRetryable();
                severity = category.defaultSeverity();
            }
            if (rule.retryable() != null) {
                retryable = rule.retryable();
            }
            if (rule.severity() != null) {
                severity = rule.severity();
            }
            ignored = rule.ignore();
        }
        return new ErrorClassification(category, retryable, severity, component, decidedBy, ignored);
    }

    private ErrorRule matchingRule(List<FailureLink> chain, int status, ErrorComponent component) {
        for (ErrorRule rule : rules) {
            if (rule.matches(null, status, component)) {
                return rule;
            }
            for (int i = chain.size() - 1; i >= 0; i--) {
                FailureLink link = chain.get(i);
                if (rule.matches(link, status > 0 ? status : statusOf(link), component)) {
                    return rule;
                }
            }
        }
        return null;
    }

    /** What the built-in knowledge says about one exception, or null if it does not recognise it. */
    Verdict verdict(FailureLink link) {
        String lowerMessage = link.message == null ? null : link.message.toLowerCase(Locale.ROOT);
        if (lowerMessage != null) {
            for (String name : link.typeNames) {
                List<KnownErrors.TypeEntry> entries = known.types.get(name);
                if (entries != null) {
                    for (KnownErrors.TypeEntry e : entries) {
                        if (e.hint != null && lowerMessage.contains(e.hint)) {
                            return e.verdict;
                        }
                    }
                }
            }
        }
        if (link.vendorCode != FailureLink.NO_VENDOR_CODE && link.vendorCode != 0) {
            String driver = driverFamily(link.type());
            if (driver != null) {
                Verdict v = known.vendorCodes.get(driver + ":" + Math.abs(link.vendorCode));
                if (v != null) {
                    return v;
                }
            }
        }
        if (link.sqlState != null && link.sqlState.length() >= 2) {
            Verdict v = sqlStateVerdict(link.sqlState.toUpperCase(Locale.ROOT), lowerMessage);
            if (v != null) {
                return v;
            }
        }
        int status = statusOf(link);
        if (status > 0) {
            Verdict v = statusVerdict(status);
            if (v != null) {
                return v;
            }
        }
        Verdict grpc = grpcVerdict(link);
        if (grpc != null) {
            return grpc;
        }
        for (String name : link.typeNames) {
            List<KnownErrors.TypeEntry> entries = known.types.get(name);
            if (entries != null) {
                for (KnownErrors.TypeEntry e : entries) {
                    if (e.hint == null) {
                        return e.verdict;
                    }
                }
            }
        }
        return null;
    }

    private Verdict sqlStateVerdict(String state, String lowerMessage) {
        if (state.equals("57014") && lowerMessage != null && lowerMessage.contains("timeout")) {
            // PostgreSQL reports statement_timeout as "canceling statement due to statement timeout"
            return new Verdict(ErrorCategory.TIMEOUT, true);
        }
        for (int len = Math.min(5, state.length()); len >= 2; len--) {
            Verdict v = known.sqlStates.get(state.substring(0, len));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private Verdict statusVerdict(int status) {
        Verdict v = known.statuses.get(status);
        if (v != null) {
            return v;
        }
        if (status >= 500 && status <= 599) {
            return new Verdict(ErrorCategory.UNKNOWN, false);
        }
        if (status >= 400 && status <= 499) {
            return new Verdict(ErrorCategory.INVALID_INPUT, false);
        }
        return null;
    }

    /** The HTTP status an exception of a known HTTP client or framework carries in its name or message, else 0. */
    int statusOf(FailureLink link) {
        for (String name : link.typeNames) {
            int dollar = name.lastIndexOf('$');
            if (dollar > 0 && known.statusInName.contains(name.substring(0, dollar))) {
                int s = HttpStatusNames.status(name.substring(dollar + 1));
                if (s > 0) {
                    return s;
                }
            }
            if (known.statusInMessage.contains(name)) {
                return leadingStatus(link.message);
            }
        }
        return 0;
    }

    /** The first three-digit number from 100 to 599 near the start of the message ("404 Not Found", "[503] during"). */
    static int leadingStatus(String message) {
        if (message == null) {
            return 0;
        }
        int limit = Math.min(message.length(), 48);
        for (int i = 0; i + 3 <= limit; i++) {
            if (isDigit(message, i)
                    && isDigit(message, i + 1)
                    && isDigit(message, i + 2)
                    && (i == 0 || !Character.isLetterOrDigit(message.charAt(i - 1)))
                    && (i + 3 == message.length() || !Character.isDigit(message.charAt(i + 3)))) {
                int s = Integer.parseInt(message.substring(i, i + 3));
                if (s >= 100 && s <= 599) {
                    return s;
                }
            }
        }
        return 0;
    }

    private Verdict grpcVerdict(FailureLink link) {
        if (link.message == null) {
            return null;
        }
        for (String name : link.typeNames) {
            if (known.grpcTypes.contains(name)) {
                int end = 0;
                while (end < link.message.length()
                        && (Character.isUpperCase(link.message.charAt(end)) || link.message.charAt(end) == '_')) {
                    end++;
                }
                return end == 0 ? null : known.grpcCodes.get(link.message.substring(0, end));
            }
        }
        return null;
    }

    /** Vendor codes mean different things per database: only trust them from a driver we know. */
    static String driverFamily(String exceptionType) {
        if (exceptionType.startsWith("com.mysql.") || exceptionType.startsWith("org.mariadb.")) {
            return "mysql";
        }
        if (exceptionType.startsWith("oracle.")) {
            return "oracle";
        }
        if (exceptionType.startsWith("com.microsoft.sqlserver.")) {
            return "sqlserver";
        }
        return null;
    }

    private static boolean isDigit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }
}
