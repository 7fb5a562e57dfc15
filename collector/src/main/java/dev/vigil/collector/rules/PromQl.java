package dev.vigil.collector.rules;

import dev.vigil.collector.rules.Condition.BurnWindow;
import dev.vigil.collector.rules.Condition.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PromQL for the metric-based rules, over the names the agent exposes on {@code /metrics}
 * (Micrometer's Prometheus naming of the OpenTelemetry names): a histogram in seconds is
 * {@code <name>_seconds_{count,bucket,max}}, a counter {@code <name>_total}, a gauge its base name
 * (with a unit suffix where Micrometer adds one). Returns null for kinds Prometheus cannot compute.
 */
public final class PromQl {
    /** Gauges whose Prometheus name carries a unit suffix. */
    private static final Map<String, String> GAUGE_NAMES =
            Map.of("jvm.memory.usage.after.gc", "jvm_memory_usage_after_gc_percent");

    private PromQl() {}

    static boolean isSecondsHistogram(String metric) {
        return metric.endsWith(".duration") || metric.equals("jvm.gc.pause");
    }

    static String base(String metric) {
        return metric.replace('.', '_').replace('-', '_');
    }

    /** The series that counts events of {@code metric}: a histogram's count or a counter's total. */
    static String countSeries(String metric) {
        return isSecondsHistogram(metric) ? base(metric) + "_seconds_count" : base(metric) + "_total";
    }

    static String gaugeSeries(String metric, Function f) {
        if (isSecondsHistogram(metric)) {
            // Micrometer exposes a histogram's largest recent observation as <name>_seconds_max.
            return base(metric) + "_seconds_max";
        }
        return GAUGE_NAMES.getOrDefault(metric, base(metric));
    }

    static String selector(String series, List<LabelMatcher> where, List<LabelMatcher> extra) {
        List<String> parts = new ArrayList<>();
        for (LabelMatcher m : where) {
            parts.add(m.toPromQl(AlertRule.labelName(m.name())));
        }
        for (LabelMatcher m : extra) {
            parts.add(m.toPromQl(AlertRule.labelName(m.name())));
        }
        return parts.isEmpty() ? series : series + "{" + String.join(", ", parts) + "}";
    }

    static String byClause(List<String> by) {
        List<String> names = new ArrayList<>();
        for (String b : by) {
            names.add(AlertRule.labelName(b));
        }
        return "(" + String.join(", ", names) + ")";
    }

    private static String range(java.time.Duration d) {
        return "[" + Durations.format(d) + "]";
    }

    private static String num(double d) {
        return TemplateVariables.formatNumber(d);
    }

    private static String metricValue(
            String metric, Function f, double q, List<LabelMatcher> where, List<String> by, java.time.Duration w) {
        String by0 = byClause(by);
        return switch (f) {
            case RATE, INCREASE ->
                "sum by " + by0 + " (" + (f == Function.RATE ? "rate" : "increase") + "("
                        + selector(countSeries(metric), where, List.of()) + range(w) + "))";
            case QUANTILE -> quantileExpr(metric, q, where, by, w);
            case LAST ->
                "max by " + by0 + " (last_over_time(" + selector(gaugeSeries(metric, f), where, List.of()) + range(w)
                        + "))";
            case AVG ->
                "avg by " + by0 + " (avg_over_time(" + selector(gaugeSeries(metric, f), where, List.of()) + range(w)
                        + "))";
            case MAX ->
                "max by " + by0 + " (max_over_time(" + selector(gaugeSeries(metric, f), where, List.of()) + range(w)
                        + "))";
            case MIN ->
                "min by " + by0 + " (min_over_time(" + selector(gaugeSeries(metric, f), where, List.of()) + range(w)
                        + "))";
        };
    }

    private static String quantileExpr(
            String metric, double q, List<LabelMatcher> where, List<String> by, java.time.Duration w) {
        List<String> le = new ArrayList<>(by);
        le.add("le");
        return "histogram_quantile(" + num(q) + ", sum by " + byClause(le) + " (rate("
                + selector(base(metric) + "_seconds_bucket", where, List.of()) + range(w) + ")))";
    }

    private static String errorRatio(String metric, List<LabelMatcher> where, List<String> by, java.time.Duration w) {
        LabelMatcher failed = LabelMatcher.create("error.type", "", false, false);
        String by0 = byClause(by);
        String series = countSeries(metric);
        return "(sum by " + by0 + " (increase(" + selector(series, where, List.of(failed)) + range(w) + "))"
                + " / sum by " + by0 + " (increase(" + selector(series, where, List.of()) + range(w) + ")))";
    }

    private static String requests(String metric, List<LabelMatcher> where, List<String> by, java.time.Duration w) {
        return "sum by " + byClause(by) + " (increase(" + selector(countSeries(metric), where, List.of()) + range(w)
                + "))";
    }

    /** The alert expression of a rule (one per SLO window pair), or an empty list if it cannot be exported. */
    public static List<Expr> exprs(AlertRule rule) {
        Condition c = rule.condition();
        if (c instanceof Condition.Threshold t) {
            String value = metricValue(t.metric(), t.function(), t.quantile(), rule.where(), rule.by(), t.window());
            if (t.ratioTo() != null) {
                String den = metricValue(
                        t.ratioTo().metric(),
                        t.ratioTo().function(),
                        0,
                        t.ratioTo().where(),
                        rule.by(),
                        t.window());
                String ratio = "(" + value + " / " + den + ")";
                String expr = ratio + " " + t.op().symbol + " " + num(t.threshold());
                if (t.minRequests() > 0) {
                    String reqs = metricValue(
                            t.ratioTo().metric(),
                            Function.INCREASE,
                            0,
                            t.ratioTo().where(),
                            rule.by(),
                            t.window());
                    expr = expr + " and " + reqs + " >= " + num(t.minRequests());
                }
                return List.of(new Expr(expr, Map.of(), ratio));
            }
            return List.of(new Expr(value + " " + t.op().symbol + " " + num(t.threshold()), Map.of(), value));
        } else if (c instanceof Condition.ErrorRatio e) {
            String ratio = errorRatio(e.metric(), rule.where(), rule.by(), e.window());
            String expr = ratio + " > " + num(e.threshold());
            if (e.minRequests() > 0) {
                expr += " and " + requests(e.metric(), rule.where(), rule.by(), e.window()) + " >= "
                        + num(e.minRequests());
            }
            return List.of(new Expr(expr, Map.of(), ratio));
        } else if (c instanceof Condition.LatencyQuantile l) {
            String q = quantileExpr(l.metric(), l.quantile(), rule.where(), rule.by(), l.window());
            String expr = q + " > " + num(l.threshold());
            if (l.minRequests() > 0) {
                expr += " and " + requests(l.metric(), rule.where(), rule.by(), l.window()) + " >= "
                        + num(l.minRequests());
            }
            return List.of(new Expr(expr, Map.of(), q));
        } else if (c instanceof Condition.SloBurnRate s) {
            List<Expr> out = new ArrayList<>();
            double budget = 1 - s.objective();
            for (BurnWindow w : s.windows()) {
                String longBurn = "(" + errorRatio(s.metric(), rule.where(), rule.by(), w.longWindow()) + " / "
                        + num(budget) + ")";
                String shortBurn = "(" + errorRatio(s.metric(), rule.where(), rule.by(), w.shortWindow()) + " / "
                        + num(budget) + ")";
                String expr = longBurn + " > " + num(w.burnRate()) + " and " + shortBurn + " > " + num(w.burnRate());
                if (s.minRequests() > 0) {
                    expr += " and " + requests(s.metric(), rule.where(), rule.by(), w.longWindow()) + " >= "
                            + num(s.minRequests());
                }
                out.add(new Expr(expr, Map.of("window", w.label(), "severity", w.severity()), longBurn));
            }
            return out;
        }
        return List.of();
    }

    /**
     * One exported alert expression.
     *
     * @param expr the alerting expression
     * @param labels labels this expression adds (SLO window and severity)
     * @param value the expression of the value alone, for graph links
     */
    public record Expr(String expr, Map<String, String> labels, String value) {}

    /** The value expression for a graph link of an alert, or null. */
    static String graphExpr(AlertRule rule, Labels alertLabels) {
        List<Expr> exprs = exprs(rule);
        for (Expr e : exprs) {
            String window = e.labels().get("window");
            if (window == null || window.equals(alertLabels.get("window"))) {
                return e.value();
            }
        }
        return null;
    }
}
