package dev.vigil.collector.rules;

/** Checks that a runbook template a rule names exists and compiles. */
@FunctionalInterface
public interface TemplateCheck {
    /** Null when the template is usable, else what is wrong with it. */
    String problem(String templateName);
}
