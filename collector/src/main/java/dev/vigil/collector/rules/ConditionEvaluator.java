package dev.vigil.collector.rules;

import dev.vigil.collector.rules.Condition.BurnWindow;
import dev.vigil.collector.rules.Condition.Function;
import dev.vigil.collector.rules.RuleInputs.Aggregation;
import dev.vigil.collector.rules.RuleInputs.ErrorGroupView;
import dev.vigil.collector.rules.RuleInputs.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes which series of a rule are active now. Stateless; the alert lifecycle is elsewhere. */
final class ConditionEvaluator {
    private static final LabelMatcher ERROR_SET = LabelMatcher.create("error.type", "", false, false);

    private final RuleInputs inputs;
    private final LogPatternCounts logs;

    ConditionEvaluator(RuleInputs inputs, LogPatternCounts logs) {
        this.inputs = inputs;
        this.logs = logs;
    }

    List<Sample> evaluate(AlertRule rule, Instant now) {
        Condition c = rule.condition();
        if (c instanceof Condition.Threshold t) {
            return threshold(rule, t, now);
        } else if (c instanceof Condition.ErrorRatio e) {
            return errorRatio(rule, e, now);
        } else if (c instanceof Condition.LatencyQuantile l) {
            return latency(rule, l, now);
        } else if (c instanceof Condition.NewErrorGroup n) {
            return newGroups(rule, n, now);
        } else if (c instanceof Condition.RegressedErrorGroup r) {
            return regressed(rule, r, now);
        } else if (c instanceof Condition.ErrorSpike s) {
            return spikes(rule, s, now);
        } else if (c instanceof Condition.SloBurnRate s) {
            return slo(rule, s, now);
        } else if (c instanceof Condition.HeartbeatAbsent h) {
            return heartbeats(rule, h, now);
        } else if (c instanceof Condition.LogPattern p) {
            return logPattern(rule, p, now);
        }
        throw new IllegalStateException("unknown condition " + c);
    }

    private List<Sample> threshold(AlertRule rule, Condition.Threshold t, Instant now) {
        Map<Labels, Double> values =
                metric(t.metric(), t.function(), t.quantile(), rule.where(), rule.by(), t.window(), now);
        List<Sample> out = new ArrayList<>();
        if (t.ratioTo() == null) {
            for (Map.Entry<Labels, Double> e : values.entrySet()) {
                if (t.op().test(e.getValue(), t.threshold())) {
                    out.add(sample(e.getKey(), e.getValue(), t.threshold()));
                }
            }
            return out;
        }
        Map<Labels, Double> denominators = metric(
                t.ratioTo().metric(), t.ratioTo().function(), 0, t.ratioTo().where(), rule.by(), t.window(), now);
        double windowSeconds = t.window().toMillis() / 1000.0;
        for (Map.Entry<Labels, Double> e : denominators.entrySet()) {
            double den = e.getValue();
            // min_requests counts requests in the window, whatever function the ratio uses.
            double requests = t.ratioTo().function() == Function.RATE ? den * windowSeconds : den;
            if (den <= 0 || requests < t.minRequests()) {
                continue;
            }
            double value = values.getOrDefault(e.getKey(), 0.0) / den;
            if (t.op().test(value, t.threshold())) {
                out.add(sample(e.getKey(), value, t.threshold()));
            }
        }
        return out;
    }

    private Map<Labels, Double> metric(
            String metric,
            Function f,
            double q,
            List<LabelMatcher> where,
            List<String> by,
            Duration window,
            Instant now) {
        return switch (f) {
            case INCREASE -> inputs.increase(metric, where, by, window, now);
            case RATE -> {
                Map<Labels, Double> inc = inputs.increase(metric, where, by, window, now);
                Map<Labels, Double> rate = new HashMap<>();
                double seconds = window.toMillis() / 1000.0;
                inc.forEach((k, v) -> rate.put(k, v / seconds));
                yield rate;
            }
            case QUANTILE -> inputs.quantile(metric, q, where, by, window, now);
            case LAST -> inputs.aggregate(metric, Aggregation.LAST, where, by, window, now);
            case AVG -> inputs.aggregate(metric, Aggregation.AVG, where, by, window, now);
            case MAX -> inputs.aggregate(metric, Aggregation.MAX, where, by, window, now);
            case MIN -> inputs.aggregate(metric, Aggregation.MIN, where, by, window, now);
        };
    }

    private List<Sample> errorRatio(AlertRule rule, Condition.ErrorRatio e, Instant now) {
        List<Sample> out = new ArrayList<>();
        Map<Labels, Double> ratios = ratios(e.metric(), rule.where(), rule.by(), e.window(), e.minRequests(), now);
        for (Map.Entry<Labels, Double> r : ratios.entrySet()) {
            if (r.getValue() > e.threshold()) {
                out.add(sample(r.getKey(), r.getValue(), e.threshold()));
            }
        }
        return out;
    }

    /** Failed share of requests per group, only for groups with at least {@code minRequests}. */
    private Map<Labels, Double> ratios(
            String metric,
            List<LabelMatcher> where,
            List<String> by,
            Duration window,
            double minRequests,
            Instant now) {
        Map<Labels, Double> all = inputs.increase(metric, where, by, window, now);
        List<LabelMatcher> failedWhere = new ArrayList<>(where);
        failedWhere.add(ERROR_SET);
        Map<Labels, Double> failed = inputs.increase(metric, failedWhere, by, window, now);
        Map<Labels, Double> out = new HashMap<>();
        for (Map.Entry<Labels, Double> e : all.entrySet()) {
            double requests = e.getValue();
            if (requests <= 0 || requests < minRequests) {
                continue;
            }
            out.put(e.getKey(), Math.min(1.0, failed.getOrDefault(e.getKey(), 0.0) / requests));
        }
        return out;
    }

    private List<Sample> latency(AlertRule rule, Condition.LatencyQuantile l, Instant now) {
        Map<Labels, Double> requests = inputs.increase(l.metric(), rule.where(), rule.by(), l.window(), now);
        Map<Labels, Double> quantiles =
                inputs.quantile(l.metric(), l.quantile(), rule.where(), rule.by(), l.window(), now);
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<Labels, Double> e : quantiles.entrySet()) {
            double n = requests.getOrDefault(e.getKey(), 0.0);
            if (n <= 0 || n < l.minRequests() || Double.isNaN(e.getValue())) {
                continue;
            }
            if (e.getValue() > l.threshold()) {
                out.add(sample(e.getKey(), e.getValue(), l.threshold()));
            }
        }
        return out;
    }

    private List<Sample> newGroups(AlertRule rule, Condition.NewErrorGroup n, Instant now) {
        List<Sample> out = new ArrayList<>();
        Instant from = now.minus(n.window());
        for (ErrorGroupView g : inputs.errorGroups()) {
            if ("ignored".equals(g.status())
                    || g.firstSeen() == null
                    || g.firstSeen().isBefore(from)) {
                continue;
            }
            Labels labels = g.labels();
            if (!LabelMatcher.matchesAll(rule.where(), labels)) {
                continue;
            }
            long count = inputs.errorCount(g.service(), g.fingerprint(), from, now.plusMillis(1));
            if (count < n.minCount()) {
                continue;
            }
            out.add(new Sample(labels, count, n.minCount(), Map.of("fingerprint", g.fingerprint())));
        }
        return out;
    }

    private List<Sample> regressed(AlertRule rule, Condition.RegressedErrorGroup r, Instant now) {
        List<Sample> out = new ArrayList<>();
        Instant from = now.minus(r.window());
        for (ErrorGroupView g : inputs.errorGroups()) {
            if (g.regressedAt() == null || g.regressedAt().isBefore(from)) {
                continue;
            }
            if ("ignored".equals(g.status()) || "resolved".equals(g.status())) {
                continue;
            }
            Labels labels = g.labels();
            if (!LabelMatcher.matchesAll(rule.where(), labels)) {
                continue;
            }
            long count = inputs.errorCount(g.service(), g.fingerprint(), from, now.plusMillis(1));
            out.add(new Sample(labels, count, 0, Map.of("fingerprint", g.fingerprint())));
        }
        return out;
    }

    private List<Sample> spikes(AlertRule rule, Condition.ErrorSpike s, Instant now) {
        List<Sample> out = new ArrayList<>();
        Instant recentFrom = now.minus(s.window());
        Instant baselineFrom = recentFrom.minus(s.baseline());
        for (ErrorGroupView g : inputs.errorGroups()) {
            if ("ignored".equals(g.status())
                    || g.lastSeen() == null
                    || g.lastSeen().isBefore(recentFrom)) {
                continue;
            }
            Labels labels = g.labels();
            if (!LabelMatcher.matchesAll(rule.where(), labels)) {
                continue;
            }
            // Counts are per minute: both windows are estimated from the minutes they cover in part too,
            // so the value slides with the clock instead of jumping at each minute boundary.
            MinuteBuckets.Counts counts =
                    (from, to) -> inputs.errorCount(g.service(), g.fingerprint(), minute(from), minute(to));
            double recent = MinuteBuckets.estimate(counts, recentFrom, now, now);
            if (recent < s.minCount()) {
                continue;
            }
            double baseline = Math.max(1, MinuteBuckets.estimate(counts, baselineFrom, recentFrom, now));
            double recentRate = recent / s.window().toMillis();
            double baselineRate = baseline / s.baseline().toMillis();
            double value = recentRate / baselineRate;
            if (value > s.factor()) {
                out.add(new Sample(labels, value, s.factor(), Map.of("fingerprint", g.fingerprint())));
            }
        }
        return out;
    }

    private List<Sample> slo(AlertRule rule, Condition.SloBurnRate s, Instant now) {
        double budget = 1 - s.objective();
        List<Sample> out = new ArrayList<>();
        for (BurnWindow w : s.windows()) {
            Map<Labels, Double> longRatios =
                    ratios(s.metric(), rule.where(), rule.by(), w.longWindow(), s.minRequests(), now);
            if (longRatios.isEmpty()) {
                continue;
            }
            Map<Labels, Double> shortRatios = ratios(s.metric(), rule.where(), rule.by(), w.shortWindow(), 0, now);
            for (Map.Entry<Labels, Double> e : longRatios.entrySet()) {
                double longBurn = e.getValue() / budget;
                double shortBurn = shortRatios.getOrDefault(e.getKey(), 0.0) / budget;
                if (longBurn > w.burnRate() && shortBurn > w.burnRate()) {
                    Sample series = sample(e.getKey(), longBurn, w.burnRate());
                    Labels labels = series.labels().with("window", w.label()).with("severity", w.severity());
                    out.add(new Sample(labels, longBurn, w.burnRate(), Map.of()));
                }
            }
        }
        return out;
    }

    private List<Sample> heartbeats(AlertRule rule, Condition.HeartbeatAbsent h, Instant now) {
        List<Sample> out = new ArrayList<>();
        List<InstanceView> instances = inputs.instances();
        if (h.scope() == Condition.Scope.INSTANCE) {
            for (InstanceView i : instances) {
                Labels labels = Labels.of("service", i.service(), "instance", i.instance(), "host", nz(i.host()));
                if (i.stopped() || !LabelMatcher.matchesAll(rule.where(), labels)) {
                    continue;
                }
                Duration silent = Duration.between(i.lastSeen(), now);
                if (silent.compareTo(h.after()) > 0 && silent.compareTo(h.forgetAfter()) < 0) {
                    out.add(new Sample(
                            labels,
                            silent.toSeconds(),
                            h.after().toSeconds(),
                            Map.of("last_seen", i.lastSeen().toString())));
                }
            }
            return out;
        }
        Map<String, List<InstanceView>> byService = new HashMap<>();
        for (InstanceView i : instances) {
            byService.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<InstanceView>> e : byService.entrySet()) {
            Labels labels = Labels.of("service", e.getKey());
            if (!LabelMatcher.matchesAll(rule.where(), labels)) {
                continue;
            }
            Instant last = Instant.MIN;
            boolean allStopped = true;
            for (InstanceView i : e.getValue()) {
                if (i.lastSeen().isAfter(last)) {
                    last = i.lastSeen();
                }
                allStopped &= i.stopped();
            }
            Duration silent = Duration.between(last, now);
            if (!allStopped && silent.compareTo(h.after()) > 0 && silent.compareTo(h.forgetAfter()) < 0) {
                out.add(new Sample(
                        labels, silent.toSeconds(), h.after().toSeconds(), Map.of("last_seen", last.toString())));
            }
        }
        return out;
    }

    private List<Sample> logPattern(AlertRule rule, Condition.LogPattern p, Instant now) {
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<Labels, Long> e :
                logs.counts(rule.name(), p.window(), now).entrySet()) {
            if (e.getValue() > p.threshold()) {
                out.add(sample(e.getKey(), e.getValue(), p.threshold()));
            }
        }
        return out;
    }

    /** Series labels of metric kinds: {@code by} names made Prometheus-safe ({@code http.route} → {@code http_route}). */
    private static Sample sample(Labels byLabels, double value, double threshold) {
        Map<String, String> safe = new HashMap<>();
        byLabels.asMap().forEach((k, v) -> safe.put(AlertRule.labelName(k), v));
        return new Sample(Labels.of(safe), value, threshold, Map.of());
    }

    private static Instant minute(long minute) {
        return Instant.ofEpochMilli(minute * MinuteBuckets.MINUTE_MILLIS);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
