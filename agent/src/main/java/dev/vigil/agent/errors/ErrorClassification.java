package dev.vigil.agent.errors;

import static java.util.Objects.requireNonNull;

/**
 * The verdict on one failure: category, whether retrying can help, severity, where it was seen,
 * and the type that decided it ({@code error_type}: usually the root cause, an HTTP status for
 * failures known only by their status). An ignored failure is not recorded at all.
 */
public final class ErrorClassification {
    private final ErrorCategory category;
    private final boolean retryable;
    private final ErrorSeverity severity;
    private final ErrorComponent component;
    private final String errorType;
    private final boolean ignored;

    ErrorClassification(
            ErrorCategory category,
            boolean retryable,
            ErrorSeverity severity,
            ErrorComponent component,
            String errorType,
            boolean ignored) {
        this.category = requireNonNull(category, "category");
        this.retryable = retryable;
        this.severity = requireNonNull(severity, "severity");
        this.component = requireNonNull(component, "component");
        this.errorType = requireNonNull(errorType, "errorType");
        this.ignored = ignored;
    }

    public ErrorCategory category() {
        return category;
    }

    public boolean retryable() {
        return retryable;
    }

    public ErrorSeverity severity() {
        return severity;
    }

    public ErrorComponent component() {
        return component;
    }

    /** The exception class (or HTTP status) that decided the classification. */
    public String errorType() {
        return errorType;
    }

    /** True when a user rule says this failure is not an error worth recording. */
    public boolean ignored() {
        return ignored;
    }

    @Override
    public String toString() {
        return category.label() + (retryable ? " retryable " : " permanent ") + severity.label() + " "
                + component.label() + " " + errorType + (ignored ? " ignored" : "");
    }
}
