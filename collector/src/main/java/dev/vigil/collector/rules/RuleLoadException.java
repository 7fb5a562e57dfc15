package dev.vigil.collector.rules;

import java.util.List;

/** The rule files are invalid; {@link #problems()} lists every problem found, not just the first. */
public final class RuleLoadException extends Exception {
    private final List<RuleProblem> problems;

    RuleLoadException(List<RuleProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    private static String describe(List<RuleProblem> problems) {
        StringBuilder b = new StringBuilder();
        b.append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append(" in the alert rules:");
        for (RuleProblem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }
}
