package dev.vigil.agent.errors;

/** A category with its retry advice, as one fact (a type, a SQLState, a status) gives it. */
final class Verdict {
    final ErrorCategory category;
    final boolean retryable;

    Verdict(ErrorCategory category, boolean retryable) {
        this.category = category;
        this.retryable = retryable;
    }

    @Override
    public String toString() {
        return category.label() + (retryable ? " retryable" : " permanent");
    }
}
