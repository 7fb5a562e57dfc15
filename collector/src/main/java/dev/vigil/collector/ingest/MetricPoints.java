package dev.vigil.collector.ingest;

import dev.vigil.collector.metrics.MetricWindows;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data points of one metrics export request, into {@link MetricWindows}: counts what was kept
 * and what was refused, and why (for the OTLP partial success).
 */
final class MetricPoints {
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_VALUE = 256;
    private static final String SERIES_LIMIT = "series limit reached (metrics.max_series)";

    private final MetricWindows windows;
    private final Clock clock;
    private long accepted;
    private long rejected;
    private final List<String> reasons = new ArrayList<>(2);

    MetricPoints(MetricWindows windows, Clock clock) {
        this.windows = windows;
        this.clock = clock;
    }

    long accepted() {
        return accepted;
    }

    long rejected() {
        return rejected;
    }

    /** Why points were refused, at most 5 distinct reasons; empty when none was. */
    String reasons() {
        return String.join("; ", reasons);
    }

    void add(ResourceIdentity who, Metric m) {
        String name = m.getName();
        if (name.isEmpty()) {
            refuse(countPoints(m), "a metric without a name");
            return;
        }
        switch (m.getDataCase()) {
            case SUM -> {
                boolean cumulative = isCumulative(m.getSum().getAggregationTemporality());
                boolean monotonic = m.getSum().getIsMonotonic();
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    Map<String, String> labels = labels(who, p.getAttributesList());
                    long time = pointTime(p.getTimeUnixNano());
                    tally(
                            monotonic
                                    ? windows.addSum(
                                            name, labels, millis(p.getStartTimeUnixNano()), time, value(p), cumulative)
                                    : windows.addGauge(name, labels, time, value(p)));
                }
            }
            case GAUGE -> {
                for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                    tally(windows.addGauge(
                            name, labels(who, p.getAttributesList()), pointTime(p.getTimeUnixNano()), value(p)));
                }
            }
            case HISTOGRAM -> {
                boolean cumulative = isCumulative(m.getHistogram().getAggregationTemporality());
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    histogram(who, name, cumulative, p);
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                // kept for count, sum, min and max (rates, ratios, max/min); quantiles need explicit buckets
                boolean cumulative = isCumulative(m.getExponentialHistogram().getAggregationTemporality());
                for (ExponentialHistogramDataPoint p :
                        m.getExponentialHistogram().getDataPointsList()) {
                    tally(windows.addHistogram(
                            name,
                            labels(who, p.getAttributesList()),
                            millis(p.getStartTimeUnixNano()),
                            pointTime(p.getTimeUnixNano()),
                            cumulative,
                            p.getCount(),
                            p.hasSum() ? p.getSum() : 0,
                            null,
                            null,
                            p.hasMin() ? p.getMin() : Double.NaN,
                            p.hasMax() ? p.getMax() : Double.NaN));
                }
            }
            case SUMMARY ->
                refuse(m.getSummary().getDataPointsCount(), "summary metrics are not supported (" + name + ")");
            case DATA_NOT_SET -> refuse(0, "metric " + name + " has no data");
        }
    }

    private static long countPoints(Metric m) {
        return switch (m.getDataCase()) {
            case SUM -> m.getSum().getDataPointsCount();
            case GAUGE -> m.getGauge().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    private void histogram(ResourceIdentity who, String name, boolean cumulative, HistogramDataPoint p) {
        int counts = p.getBucketCountsCount();
        int bounds = p.getExplicitBoundsCount();
        if (counts != 0 && counts != bounds + 1) {
            refuse(1, "histogram " + name + " has " + counts + " bucket counts for " + bounds + " bounds");
            return;
        }
        double[] b = null;
        long[] c = null;
        if (counts != 0) {
            b = new double[bounds];
            for (int i = 0; i < bounds; i++) {
                b[i] = p.getExplicitBounds(i);
            }
            c = new long[counts];
            for (int i = 0; i < counts; i++) {
                c[i] = p.getBucketCounts(i);
            }
        }
        tally(windows.addHistogram(
                name,
                labels(who, p.getAttributesList()),
                millis(p.getStartTimeUnixNano()),
                pointTime(p.getTimeUnixNano()),
                cumulative,
                p.getCount(),
                p.hasSum() ? p.getSum() : 0,
                b,
                c,
                p.hasMin() ? p.getMin() : Double.NaN,
                p.hasMax() ? p.getMax() : Double.NaN));
    }

    private void tally(boolean kept) {
        if (kept) {
            accepted++;
        } else {
            refuse(1, SERIES_LIMIT);
        }
    }

    private void refuse(long points, String reason) {
        rejected += points;
        if (reasons.size() < 5 && !reasons.contains(reason)) {
            reasons.add(reason);
        }
    }

    private static boolean isCumulative(AggregationTemporality t) {
        return t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    }

    private static double value(NumberDataPoint p) {
        return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    }

    /** Data point attributes plus {@code service} and {@code instance}, capped in number and length. */
    private static Map<String, String> labels(ResourceIdentity who, List<KeyValue> attributes) {
        Map<String, String> labels = new HashMap<>(attributes.size() * 2 + 4);
        int n = Math.min(attributes.size(), MAX_LABELS);
        for (int i = 0; i < n; i++) {
            KeyValue kv = attributes.get(i);
            String v = AttributeText.text(kv.getValue());
            labels.put(kv.getKey(), v.length() > MAX_LABEL_VALUE ? v.substring(0, MAX_LABEL_VALUE) : v);
        }
        labels.put(MetricWindows.SERVICE, who.service());
        labels.put(MetricWindows.INSTANCE, who.instance());
        return labels;
    }

    private long pointTime(long nanos) {
        return nanos == 0 ? clock.millis() : nanos / 1_000_000;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
