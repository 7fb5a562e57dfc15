package dev.vigil.collector.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The collector state the rules read: metric windows, error groups and heartbeats. Results are
 * keyed by the {@code by} label values (label names as given, e.g. {@code http.route}); a series
 * that lacks a {@code by} label is grouped under the empty value, as in Prometheus. A label a
 * series does not have reads as empty for matchers.
 */
public interface RuleInputs {

    /** Gauge-like aggregations over a window. */
    enum Aggregation {
        LAST,
        AVG,
        MAX,
        MIN
    }

    /**
     * Increase over {@code window} ending at {@code now} of a counter's value or a histogram's
     * count, summed over the matching series of each {@code by} group.
     */
    Map<Labels, Double> increase(
            String metric, List<LabelMatcher> where, List<String> by, Duration window, Instant now);

    /**
     * Gauge samples (last/avg/max/min), or for a histogram the largest/smallest observation
     * reported in the window, per {@code by} group.
     */
    Map<Labels, Double> aggregate(
            String metric,
            Aggregation aggregation,
            List<LabelMatcher> where,
            List<String> by,
            Duration window,
            Instant now);

    /** The {@code q} quantile of a histogram's observations in the window, per {@code by} group. */
    Map<Labels, Double> quantile(
            String metric, double q, List<LabelMatcher> where, List<String> by, Duration window, Instant now);

    /** Every known error group. */
    List<ErrorGroupView> errorGroups();

    /** Occurrences of one error group in {@code [from, to)}. */
    long errorCount(String service, String fingerprint, Instant from, Instant to);

    /** Every known agent instance. */
    List<InstanceView> instances();

    /** An error group as the rules and runbooks see it. */
    record ErrorGroupView(
            String id,
            String service,
            String fingerprint,
            String type,
            String message,
            String category,
            boolean retryable,
            String status,
            Instant firstSeen,
            Instant lastSeen,
            Instant regressedAt,
            long count,
            String stackTrace,
            List<String> traceIds,
            List<String> logLines) {
        public ErrorGroupView {
            traceIds = traceIds == null ? List.of() : List.copyOf(traceIds);
            logLines = logLines == null ? List.of() : List.copyOf(logLines);
        }

        Labels labels() {
            return Labels.of(
                    "service", service, "fingerprint", fingerprint, "error_type", type, "error_category", category);
        }
    }

    /** An agent instance's last report. {@code stopped} is set when its agent said it shut down. */
    record InstanceView(String service, String instance, String host, Instant lastSeen, boolean stopped) {}
}
