package dev.vigil.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The timers of one histogram, one per combination of label values, found without allocating: a
 * tree of maps keyed by each label value in turn, so the per-request lookup builds no key string
 * and no array. A timer is registered the first time its combination is seen.
 */
public final class TimerTable {
    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String[] labels;
    private final ConcurrentHashMap<String, Object> root = new ConcurrentHashMap<>();

    /** @param labels the label names, in the order the values are given to {@code timer(...)} */
    public TimerTable(MeterRegistry registry, String name, String description, String... labels) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.labels = labels.clone();
    }

    public Timer timer(String v0, String v1, String v2) {
        check(3);
        Object n = step(root, v0);
        n = n == null ? null : step(n, v1);
        n = n == null ? null : step(n, v2);
        return n != null ? (Timer) n : register(new String[] {v0, v1, v2});
    }

    public Timer timer(String v0, String v1, String v2, String v3) {
        check(4);
        Object n = step(root, v0);
        n = n == null ? null : step(n, v1);
        n = n == null ? null : step(n, v2);
        n = n == null ? null : step(n, v3);
        return n != null ? (Timer) n : register(new String[] {v0, v1, v2, v3});
    }

    public Timer timer(String v0, String v1, String v2, String v3, String v4) {
        check(5);
        Object n = step(root, v0);
        n = n == null ? null : step(n, v1);
        n = n == null ? null : step(n, v2);
        n = n == null ? null : step(n, v3);
        n = n == null ? null : step(n, v4);
        return n != null ? (Timer) n : register(new String[] {v0, v1, v2, v3, v4});
    }

    private void check(int arity) {
        if (arity != labels.length) {
            throw new IllegalArgumentException(name + " has " + labels.length + " labels, not " + arity);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object step(Object node, String value) {
        return ((ConcurrentHashMap<String, Object>) node).get(value);
    }

    /** First sight of a combination: build the path and register the timer (once, even under races). */
    @SuppressWarnings("unchecked")
    private Timer register(String[] values) {
        ConcurrentHashMap<String, Object> node = root;
        for (int i = 0; i < values.length - 1; i++) {
            node = (ConcurrentHashMap<String, Object>) node.computeIfAbsent(values[i], k -> new ConcurrentHashMap<>());
        }
        return (Timer) node.computeIfAbsent(values[values.length - 1], k -> {
            Timer.Builder b =
                    Timer.builder(name).description(description).serviceLevelObjectives(AgentMetrics.DURATION_BUCKETS);
            for (int i = 0; i < labels.length; i++) {
                b.tag(labels[i], values[i]);
            }
            return b.register(registry);
        });
    }
}
