package dev.vigil.collector.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus alert semantics (rules/alerting.go) for all alerts: pending until active for
 * {@code for}, firing, kept firing for {@code keep_firing_for} after the condition clears, then
 * resolved. Resolved alerts are kept for {@link #RESOLVED_RETENTION} so receivers keep getting the
 * resolve; a pending alert whose condition clears simply disappears. Not thread-safe: the
 * evaluator owns it.
 */
final class AlertStateMachine {
    static final Duration RESOLVED_RETENTION = Duration.ofMinutes(15);

    private final Map<String, Alert> alerts = new LinkedHashMap<>();

    interface Annotator {
        Map<String, String> render(AlertRule rule, Labels labels, Sample sample, AlertState state, Instant activeAt);
    }

    void restore(Alert alert) {
        alerts.put(alert.id(), alert);
    }

    Alert get(String id) {
        return alerts.get(id);
    }

    void put(Alert alert) {
        alerts.put(alert.id(), alert);
    }

    List<Alert> all() {
        return new ArrayList<>(alerts.values());
    }

    /** Applies one evaluation of {@code rule}; returns the state changes, and fills {@code changed}/{@code removed}. */
    List<AlertEvent> apply(
            AlertRule rule,
            List<Sample> samples,
            Instant now,
            Annotator annotator,
            List<Alert> changed,
            List<String> removed) {
        List<AlertEvent> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Sample s : samples) {
            Labels labels = Labels.of(rule.labels()).merge(s.labels()).with("alertname", rule.name());
            String id = labels.id();
            if (!seen.add(id)) {
                continue; // two series mapped to one label set: the first wins, as Prometheus reports a clash
            }
            Alert a = alerts.get(id);
            if (a == null || a.state() == AlertState.RESOLVED) {
                Map<String, String> annotations = annotator.render(rule, labels, s, AlertState.PENDING, now);
                a = new Alert(
                        id,
                        rule.name(),
                        labels,
                        AlertState.PENDING,
                        now,
                        null,
                        null,
                        null,
                        now,
                        s.value(),
                        s.threshold(),
                        annotations,
                        s.context(),
                        null,
                        null);
                events.add(new AlertEvent(a, "pending"));
            } else {
                a = a.evaluated(now, s, annotator.render(rule, labels, s, a.state(), a.activeAt()));
            }
            if (a.state() == AlertState.PENDING
                    && Duration.between(a.activeAt(), now).compareTo(rule.forDuration()) >= 0) {
                a = a.firing(now);
                a = a.evaluated(now, s, annotator.render(rule, labels, s, AlertState.FIRING, a.activeAt()));
                events.add(new AlertEvent(a, "firing"));
            }
            alerts.put(id, a);
            changed.add(a);
        }
        for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
            Alert a = it.next();
            if (!a.rule().equals(rule.name()) || seen.contains(a.id())) {
                continue;
            }
            switch (a.state()) {
                case PENDING -> {
                    it.remove();
                    removed.add(a.id());
                    events.add(new AlertEvent(a, "inactive"));
                }
                case FIRING -> {
                    Alert next = a;
                    if (rule.keepFiringFor().compareTo(Duration.ZERO) > 0) {
                        if (a.keepFiringSince() == null) {
                            next = a.keepFiringSince(now);
                        }
                        if (Duration.between(next.keepFiringSince(), now).compareTo(rule.keepFiringFor()) < 0) {
                            if (next != a) {
                                alerts.put(a.id(), next);
                                changed.add(next);
                            }
                            continue;
                        }
                    }
                    Alert resolved = next.resolved(now);
                    alerts.put(a.id(), resolved);
                    changed.add(resolved);
                    events.add(new AlertEvent(resolved, "resolved"));
                }
                case RESOLVED -> {
                    if (Duration.between(a.resolvedAt(), now).compareTo(RESOLVED_RETENTION) >= 0) {
                        it.remove();
                        removed.add(a.id());
                    }
                }
            }
        }
        return events;
    }

    /** Resolves the alerts of rules that no longer exist (after a reload), so receivers hear the end. */
    List<AlertEvent> retire(Set<String> liveRules, Instant now, List<Alert> changed, List<String> removed) {
        List<AlertEvent> events = new ArrayList<>();
        for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
            Alert a = it.next();
            if (liveRules.contains(a.rule())) {
                continue;
            }
            if (a.state() == AlertState.FIRING) {
                Alert resolved = a.resolved(now);
                alerts.put(a.id(), resolved);
                changed.add(resolved);
                events.add(new AlertEvent(resolved, "resolved"));
            } else if (a.state() == AlertState.PENDING
                    || Duration.between(a.resolvedAt(), now).compareTo(RESOLVED_RETENTION) >= 0) {
                it.remove();
                removed.add(a.id());
            }
        }
        return events;
    }
}
