package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.errors.ErrorGroup;
import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.errors.ErrorStatus;
import dev.vigil.collector.instances.Instance;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RuleInputs} over the collector's metric windows, error groups and instances. */
public final class CollectorRuleInputs implements RuleInputs {
    /** More groups than this are not looked at by the error-group rules (newest first). */
    static final int MAX_GROUPS = 10_000;

    private final MetricWindows metrics;
    private final ErrorGroups errors;
    private final Instances instances;

    public CollectorRuleInputs(MetricWindows metrics, ErrorGroups errors, Instances instances) {
        this.metrics = requireNonNull(metrics, "metrics");
        this.errors = requireNonNull(errors, "errors");
        this.instances = requireNonNull(instances, "instances");
    }

    static List<dev.vigil.collector.metrics.LabelMatcher> convert(List<LabelMatcher> matchers) {
        List<dev.vigil.collector.metrics.LabelMatcher> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            out.add(
                    m.isRegex()
                            ? (m.isEqual()
                                    ? dev.vigil.collector.metrics.LabelMatcher.matches(m.name(), m.value())
                                    : dev.vigil.collector.metrics.LabelMatcher.notMatches(m.name(), m.value()))
                            : (m.isEqual()
                                    ? dev.vigil.collector.metrics.LabelMatcher.equal(m.name(), m.value())
                                    : dev.vigil.collector.metrics.LabelMatcher.notEqual(m.name(), m.value())));
        }
        return out;
    }

    private static Map<Labels, Double> labels(Map<Map<String, String>, Double> in) {
        Map<Labels, Double> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(Labels.of(k), v));
        return out;
    }

    @Override
    public Map<Labels, Double> increase(
            String metric, List<LabelMatcher> where, List<String> by, Duration window, Instant now) {
        return labels(metrics.increase(metric, convert(where), window, by, now));
    }

    @Override
    public Map<Labels, Double> aggregate(
            String metric,
            Aggregation aggregation,
            List<LabelMatcher> where,
            List<String> by,
            Duration window,
            Instant now) {
        List<dev.vigil.collector.metrics.LabelMatcher> m = convert(where);
        return labels(
                switch (aggregation) {
                    case LAST -> metrics.lastValue(metric, m, window, by);
                    case AVG -> metrics.avg(metric, m, window, by);
                    case MAX -> metrics.max(metric, m, window, by);
                    case MIN -> metrics.min(metric, m, window, by);
                });
    }

    @Override
    public Map<Labels, Double> quantile(
            String metric, double q, List<LabelMatcher> where, List<String> by, Duration window, Instant now) {
        return labels(metrics.quantile(q, metric, convert(where), window, by));
    }

    @Override
    public List<ErrorGroupView> errorGroups() {
        List<ErrorGroupView> out = new ArrayList<>();
        for (ErrorGroup g : errors.list(null, null, MAX_GROUPS)) {
            out.add(new ErrorGroupView(
                    g.id(),
                    g.service(),
                    g.fingerprint(),
                    g.type(),
                    g.message(),
                    g.category() == null ? "" : g.category(),
                    Boolean.TRUE.equals(g.retryable()),
                    g.status().label(),
                    g.firstSeen(),
                    g.lastSeen(),
                    g.status() == ErrorStatus.REGRESSED ? g.statusChangedAt() : null,
                    g.count(),
                    g.stackTrace(),
                    g.traceIds(),
                    g.logLines()));
        }
        return out;
    }

    @Override
    public long errorCount(String service, String fingerprint, Instant from, Instant to) {
        return errors.count(ErrorGroups.groupId(service, fingerprint), from, to);
    }

    @Override
    public List<InstanceView> instances() {
        List<InstanceView> out = new ArrayList<>();
        for (Instance i : instances.list()) {
            out.add(new InstanceView(i.service(), i.instanceId(), i.host(), i.lastSeen(), i.stoppedAt() != null));
        }
        return out;
    }
}
