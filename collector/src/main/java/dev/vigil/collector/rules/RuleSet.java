package dev.vigil.collector.rules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validated rules of one load, in file order. */
public record RuleSet(List<AlertRule> rules, Instant loadedAt) {
    public RuleSet {
        rules = List.copyOf(rules);
    }

    public AlertRule rule(String name) {
        for (AlertRule r : rules) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Rules by group name, in file order. */
    public Map<String, List<AlertRule>> byGroup() {
        Map<String, List<AlertRule>> groups = new LinkedHashMap<>();
        for (AlertRule r : rules) {
            groups.computeIfAbsent(r.group(), g -> new java.util.ArrayList<>()).add(r);
        }
        return groups;
    }
}
