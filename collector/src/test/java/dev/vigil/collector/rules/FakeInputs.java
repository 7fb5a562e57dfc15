package dev.vigil.collector.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule inputs from hand-written series: counter increments and observations with timestamps, so
 * rule semantics can be tested without the collector's metric store.
 */
public final class FakeInputs implements RuleInputs {
    record Point(String metric, Labels labels, Instant at, double value, boolean observation) {}

    record ErrorEvent(String service, String fingerprint, Instant at) {}

    final List<Point> points = new ArrayList<>();
    final List<ErrorGroupView> groups = new ArrayList<>();
    final List<ErrorEvent> errors = new ArrayList<>();
    final List<InstanceView> instances = new ArrayList<>();
    boolean broken;

    /** Adds {@code n} requests (histogram observations of {@code seconds}) at {@code at}. */
    public void observe(String metric, Labels labels, Instant at, double seconds, int n) {
        for (int i = 0; i < n; i++) {
            points.add(new Point(metric, labels, at, seconds, true));
        }
    }

    public void gauge(String metric, Labels labels, Instant at, double value) {
        points.add(new Point(metric, labels, at, value, false));
    }

    private List<Point> select(String metric, List<LabelMatcher> where, Duration window, Instant now) {
        if (broken) {
            throw new IllegalStateException("metric store unavailable");
        }
        Instant from = now.minus(window);
        List<Point> out = new ArrayList<>();
        for (Point p : points) {
            if (p.metric.equals(metric)
                    && p.at.isAfter(from)
                    && !p.at.isAfter(now)
                    && LabelMatcher.matchesAll(where, p.labels)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Labels key(Labels labels, List<String> by) {
        Map<String, String> m = new HashMap<>();
        for (String b : by) {
            m.put(b, labels.get(b));
        }
        return Labels.of(m);
    }

    @Override
    public Map<Labels, Double> increase(
            String metric, List<LabelMatcher> where, List<String> by, Duration window, Instant now) {
        Map<Labels, Double> out = new HashMap<>();
        for (Point p : select(metric, where, window, now)) {
            out.merge(key(p.labels, by), p.observation ? 1.0 : p.value, Double::sum);
        }
        return out;
    }

    @Override
    public Map<Labels, Double> aggregate(
            String metric,
            Aggregation aggregation,
            List<LabelMatcher> where,
            List<String> by,
            Duration window,
            Instant now) {
        Map<Labels, List<Double>> values = new HashMap<>();
        for (Point p : select(metric, where, window, now)) {
            values.computeIfAbsent(key(p.labels, by), k -> new ArrayList<>()).add(p.value);
        }
        Map<Labels, Double> out = new HashMap<>();
        values.forEach((k, v) -> out.put(
                k,
                switch (aggregation) {
                    case LAST -> v.get(v.size() - 1);
                    case AVG ->
                        v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                    case MAX ->
                        v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                    case MIN ->
                        v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                }));
        return out;
    }

    @Override
    public Map<Labels, Double> quantile(
            String metric, double q, List<LabelMatcher> where, List<String> by, Duration window, Instant now) {
        Map<Labels, List<Double>> values = new HashMap<>();
        for (Point p : select(metric, where, window, now)) {
            values.computeIfAbsent(key(p.labels, by), k -> new ArrayList<>()).add(p.value);
        }
        Map<Labels, Double> out = new HashMap<>();
        values.forEach((k, v) -> {
            v.sort(Double::compare);
            out.put(k, v.get((int) Math.min(v.size() - 1, Math.ceil(q * v.size()) - 1)));
        });
        return out;
    }

    @Override
    public List<ErrorGroupView> errorGroups() {
        return List.copyOf(groups);
    }

    @Override
    public long errorCount(String service, String fingerprint, Instant from, Instant to) {
        return errors.stream()
                .filter(e -> e.service.equals(service)
                        && e.fingerprint.equals(fingerprint)
                        && !e.at.isBefore(from)
                        && e.at.isBefore(to))
                .count();
    }

    public void error(String service, String fingerprint, Instant at, int n) {
        for (int i = 0; i < n; i++) {
            errors.add(new ErrorEvent(service, fingerprint, at));
        }
    }

    @Override
    public List<InstanceView> instances() {
        return List.copyOf(instances);
    }
}
