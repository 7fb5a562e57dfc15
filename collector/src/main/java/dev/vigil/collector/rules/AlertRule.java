package dev.vigil.collector.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One validated rule of a rule file. The kind-specific part is {@link #condition()}.
 *
 * @param name the alert name ({@code alertname} label)
 * @param group the rule group it belongs to
 * @param interval how often the group is evaluated
 * @param forDuration how long the condition must hold before firing
 * @param keepFiringFor how long the alert keeps firing after the condition stops
 * @param labels labels added to every alert of the rule (with {@code severity})
 * @param annotations Mustache templates by annotation name
 * @param runbook template file name in the runbook folder
 * @param by label names that split the rule into one alert per combination
 * @param where label matchers that select series
 * @param source where the rule was written ({@code file:line})
 */
public record AlertRule(
        String name,
        String group,
        Duration interval,
        Duration forDuration,
        Duration keepFiringFor,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runbook,
        List<String> by,
        List<LabelMatcher> where,
        String source,
        Condition condition) {

    public AlertRule {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        by = List.copyOf(by);
        where = List.copyOf(where);
    }

    public String kind() {
        return condition.kind();
    }

    /** Prometheus-compatible label name: dots and other invalid characters become {@code _}. */
    public static String labelName(String attribute) {
        StringBuilder b = new StringBuilder(attribute.length());
        for (int i = 0; i < attribute.length(); i++) {
            char c = attribute.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}
