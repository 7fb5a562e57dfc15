package dev.vigil.collector.rules;

import dev.vigil.collector.rules.RuleInputs.ErrorGroupView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables of annotation and runbook templates (docs/alert-rules.md, "Templates"). Optional
 * values are left out rather than set to empty, so that {@code {{#name}}} sections work.
 */
public final class TemplateVariables {
    private TemplateVariables() {}

    /** Variables for one alert; {@code group} may be null. */
    public static Map<String, Object> of(
            Alert alert, AlertRule rule, ErrorGroupView group, Links links, String prometheusExpr) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("alertname", alert.rule());
        v.put("alert_id", alert.id());
        v.put("state", alert.state().lower());
        v.put("severity", alert.severity());
        Map<String, String> labels = new LinkedHashMap<>();
        alert.labels().asMap().forEach((k, val) -> labels.put(AlertRule.labelName(k), val));
        v.put("labels", labels);
        putIfPresent(v, "service", labels.get("service"));
        putIfPresent(v, "instance", labels.get("instance"));
        v.put("value", formatNumber(alert.value()));
        v.put("value_percent", formatPercent(alert.value()));
        v.put("threshold", formatNumber(alert.threshold()));
        v.put("threshold_percent", formatPercent(alert.threshold()));
        v.put("starts_at", alert.startsAt().toString());
        if (alert.resolvedAt() != null) {
            v.put("ends_at", alert.resolvedAt().toString());
        }
        putIfPresent(v, "last_seen", alert.context().get("last_seen"));
        Map<String, Object> linkMap = new LinkedHashMap<>();
        linkMap.put("runbook", links.runbook(alert.id()));
        linkMap.put("collector", links.collector());
        if (links.prometheus() != null && prometheusExpr != null) {
            linkMap.put(
                    "prometheus",
                    links.prometheus() + "/graph?g0.expr=" + URLEncoder.encode(prometheusExpr, StandardCharsets.UTF_8)
                            + "&g0.tab=0");
        }
        if (group != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("type", group.type());
            g.put("message", group.message());
            g.put("category", group.category());
            g.put("retryable", group.retryable());
            g.put("fingerprint", group.fingerprint());
            g.put("first_seen", str(group.firstSeen()));
            g.put("last_seen", str(group.lastSeen()));
            g.put("count", group.count());
            g.put("status", group.status());
            putIfPresent(g, "stack_trace", group.stackTrace());
            g.put("trace_ids", group.traceIds());
            g.put("log_lines", group.logLines());
            v.put("error_group", g);
            if (group.id() != null) {
                linkMap.put("error_group", links.collector() + "/api/errors/" + group.id());
            }
            if (!group.traceIds().isEmpty()) {
                v.put("trace_id", group.traceIds().get(0));
            }
        }
        v.put("links", linkMap);
        return v;
    }

    /**
     * The error group an alert is about: the one named by its fingerprint, or else the service's
     * most frequent group seen in the last hour. Null if none.
     */
    public static ErrorGroupView errorGroupFor(Alert alert, List<ErrorGroupView> groups, Instant now) {
        String fingerprint = alert.context().get("fingerprint");
        String service = alert.labels().get("service");
        ErrorGroupView best = null;
        for (ErrorGroupView g : groups) {
            if (fingerprint != null) {
                if (g.fingerprint().equals(fingerprint) && g.service().equals(service)) {
                    return g;
                }
                continue;
            }
            if (service.isEmpty()
                    || !g.service().equals(service)
                    || g.lastSeen() == null
                    || g.lastSeen().isBefore(now.minusSeconds(3600))
                    || "ignored".equals(g.status())) {
                continue;
            }
            if (best == null || g.count() > best.count()) {
                best = g;
            }
        }
        return best;
    }

    /** Up to 4 significant digits, no exponent, no trailing zeros: {@code 0.0734}, {@code 12.5}, {@code 1530}. */
    public static String formatNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(4));
        return b.stripTrailingZeros().toPlainString();
    }

    /** A ratio as a percentage: {@code 0.0734} → {@code 7.34%}. */
    public static String formatPercent(double ratio) {
        return formatNumber(ratio * 100).toLowerCase(Locale.ROOT) + "%";
    }

    private static String str(Instant i) {
        return i == null ? "" : i.toString();
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            m.put(key, value);
        }
    }
}
