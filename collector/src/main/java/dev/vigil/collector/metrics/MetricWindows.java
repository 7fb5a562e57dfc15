package dev.vigil.collector.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Recent OTLP metrics, per series, in memory: enough to answer "rate of X over 5 m", "ratio of
 * errors to requests over 1 h", "p99 over 5 m" for the rule engine. Counters and histograms are
 * kept as increases per time slot (cumulative points are turned into increases, resets handled),
 * gauges as samples; slots get coarser with age (see {@link Tiers}) and are dropped after the
 * retention, which must cover the longest window any rule uses.
 *
 * <p>A series is a metric name plus its labels: the data point's attributes, {@code service}
 * ({@code service.name}) and {@code instance} ({@code service.instance.id}). Beyond
 * {@code maxSeries} new series are dropped and counted ({@code vigil.collector.metrics.series.dropped}).
 *
 * <p>Queries return one value per combination of the {@code groupBy} labels (series that lack a
 * label group under its absence); a group with no data in the window is absent from the result.
 * A window {@code w} ending at {@code t} covers the slots that start in {@code (t - w, t]}.
 * Thread-safe; recording and querying never block each other for long (one lock per series; a
 * new series or its removal also locks its metric's index, see {@link MetricSeries}).
 */
public final class MetricWindows {
    /** Label of the resource's {@code service.name}. */
    public static final String SERVICE = "service";
    /** Label of the resource's {@code service.instance.id}. */
    public static final String INSTANCE = "instance";

    private final Map<String, MetricSeries> byMetric = new ConcurrentHashMap<>();
    private final AtomicInteger seriesCount = new AtomicInteger();
    private final Tiers tiers;
    private final int maxSeries;
    private final Clock clock;
    private final long listeningSince;
    private final Counter droppedSeries;

    private MetricWindows(Builder b) {
        this.tiers = new Tiers(b.retention.toMillis());
        this.maxSeries = b.maxSeries;
        this.clock = b.clock;
        this.listeningSince = clock.millis();
        MeterRegistry r = b.registry != null ? b.registry : new SimpleMeterRegistry();
        this.droppedSeries = Counter.builder("vigil.collector.metrics.series.dropped")
                .description("Data points of new series dropped because the series limit was reached")
                .register(r);
        Gauge.builder("vigil.collector.metrics.series", seriesCount, AtomicInteger::get)
                .description("Metric series held in memory")
                .register(r);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- recording -------------------------------------------------------------------------

    /**
     * A sum (counter) point. Times are epoch milliseconds; {@code start} is the point's start time
     * (0 if unknown).
     *
     * @return false if the series was dropped (limit reached)
     */
    public boolean addSum(
            String metric, Map<String, String> labels, long start, long time, double value, boolean cumulative) {
        if (!Double.isFinite(value)) {
            return true; // NaN marks a stale point in OTLP; nothing to count
        }
        Series s = series(metric, labels);
        if (s == null) {
            return false;
        }
        s.addSum(start, time, value, cumulative, listeningSince, tiers);
        return true;
    }

    /** A gauge sample (also used for non-monotonic sums). */
    public boolean addGauge(String metric, Map<String, String> labels, long time, double value) {
        if (!Double.isFinite(value)) {
            return true;
        }
        Series s = series(metric, labels);
        if (s == null) {
            return false;
        }
        s.addGauge(time, value, tiers);
        return true;
    }

    /**
     * A histogram point: {@code bucketCounts} has one more entry than {@code bounds} (the last is
     * the +Inf bucket); pass null for both when the point has no buckets (only count and sum
     * count then). {@code min}/{@code max} are NaN when not reported.
     */
    public boolean addHistogram(
            String metric,
            Map<String, String> labels,
            long start,
            long time,
            boolean cumulative,
            long count,
            double sum,
            double[] bounds,
            long[] bucketCounts,
            double min,
            double max) {
        Series s = series(metric, labels);
        if (s == null) {
            return false;
        }
        s.addHistogram(start, time, cumulative, count, sum, bounds, bucketCounts, min, max, listeningSince, tiers);
        return true;
    }

    // ---- queries ---------------------------------------------------------------------------

    /** How much a counter (or a histogram's count) grew over the window ending now. */
    public Map<Map<String, String>, Double> increase(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        return increase(metric, matchers, window, groupBy, clock.instant());
    }

    /** {@link #increase} over the window ending at {@code end} (for baselines that end in the past). */
    public Map<Map<String, String>, Double> increase(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy, Instant end) {
        Map<Map<String, String>, double[]> acc = new LinkedHashMap<>();
        long to = end.toEpochMilli();
        long from = to - window.toMillis();
        forEachSeries(metric, matchers, s -> {
            double[] a = acc.computeIfAbsent(key(s, groupBy), k -> new double[2]);
            s.forEachSlot(from, to, slot -> {
                a[0] += slot.increase;
                a[1] = 1;
            });
        });
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> {
            if (a[1] > 0) {
                out.put(k, a[0]);
            }
        });
        return out;
    }

    /** Per-second rate: {@link #increase} divided by the window in seconds. */
    public Map<Map<String, String>, Double> rate(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        return rate(metric, matchers, window, groupBy, clock.instant());
    }

    public Map<Map<String, String>, Double> rate(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy, Instant end) {
        double seconds = window.toMillis() / 1000.0;
        Map<Map<String, String>, Double> out = increase(metric, matchers, window, groupBy, end);
        out.replaceAll((k, v) -> v / seconds);
        return out;
    }

    /**
     * The q-quantile (0 &lt; q &lt; 1) of a histogram's observations in the window, from the
     * summed bucket increases, interpolated linearly inside a bucket as Prometheus'
     * {@code histogram_quantile} does; in the +Inf bucket it is the highest finite bound.
     * Series whose bucket bounds differ from their group's first series are left out.
     */
    public Map<Map<String, String>, Double> quantile(
            double q, String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile must be between 0 and 1: " + q);
        }
        long to = clock.millis();
        long from = to - window.toMillis();
        Map<Map<String, String>, double[]> boundsByGroup = new HashMap<>();
        Map<Map<String, String>, long[]> bucketsByGroup = new LinkedHashMap<>();
        forEachSeries(metric, matchers, s -> {
            double[] bounds = s.bounds();
            if (bounds == null) {
                return;
            }
            Map<String, String> k = key(s, groupBy);
            double[] groupBounds = boundsByGroup.computeIfAbsent(k, x -> bounds);
            if (!java.util.Arrays.equals(groupBounds, bounds)) {
                return;
            }
            long[] acc = bucketsByGroup.computeIfAbsent(k, x -> new long[bounds.length + 1]);
            s.forEachSlot(from, to, slot -> {
                if (slot.buckets != null && slot.buckets.length == acc.length) {
                    for (int i = 0; i < acc.length; i++) {
                        acc[i] += slot.buckets[i];
                    }
                }
            });
        });
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        bucketsByGroup.forEach((k, buckets) -> {
            double v = HistogramQuantile.of(q, boundsByGroup.get(k), buckets);
            if (!Double.isNaN(v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The most recent gauge sample in the window, summed over the series of each group. */
    public Map<Map<String, String>, Double> lastValue(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        long to = clock.millis();
        long from = to - window.toMillis();
        Map<Map<String, String>, double[]> acc = new LinkedHashMap<>();
        forEachSeries(metric, matchers, s -> {
            double[] latest = {Double.NaN, Long.MIN_VALUE};
            s.forEachSlot(from, to, slot -> {
                if (slot.gaugeCount > 0 && slot.lastTime > latest[1]) {
                    latest[0] = slot.last;
                    latest[1] = slot.lastTime;
                }
            });
            if (!Double.isNaN(latest[0])) {
                acc.computeIfAbsent(key(s, groupBy), k -> new double[1])[0] += latest[0];
            }
        });
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[0]));
        return out;
    }

    /** The largest gauge sample, or the largest histogram {@code max} reported, in the window. */
    public Map<Map<String, String>, Double> max(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        return extreme(metric, matchers, window, groupBy, true);
    }

    /** The smallest gauge sample, or the smallest histogram {@code min} reported, in the window. */
    public Map<Map<String, String>, Double> min(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        return extreme(metric, matchers, window, groupBy, false);
    }

    /** The mean of the gauge samples in the window (all series of a group together). */
    public Map<Map<String, String>, Double> avg(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy) {
        long to = clock.millis();
        long from = to - window.toMillis();
        Map<Map<String, String>, double[]> acc = new LinkedHashMap<>();
        forEachSeries(metric, matchers, s -> {
            double[] a = acc.computeIfAbsent(key(s, groupBy), k -> new double[2]);
            s.forEachSlot(from, to, slot -> {
                a[0] += slot.gaugeSum;
                a[1] += slot.gaugeCount;
            });
        });
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> {
            if (a[1] > 0) {
                out.put(k, a[0] / a[1]);
            }
        });
        return out;
    }

    /** Names of the metrics held. */
    public List<String> metricNames() {
        List<String> names = new ArrayList<>(byMetric.keySet());
        Collections.sort(names);
        return names;
    }

    public int seriesCount() {
        return seriesCount.get();
    }

    public long droppedSeries() {
        return (long) droppedSeries.count();
    }

    public Duration retention() {
        return Duration.ofMillis(tiers.retentionMillis());
    }

    /**
     * Coarsens old slots and forgets data past the retention, and series with nothing left; run
     * periodically (the collector does every 30 s).
     */
    public void compact() {
        long now = clock.millis();
        for (Map.Entry<String, MetricSeries> e : byMetric.entrySet()) {
            MetricSeries m = e.getValue();
            for (Series s : m.all()) {
                if (s.compact(now, tiers) && m.remove(s)) {
                    seriesCount.decrementAndGet();
                }
            }
            m.retireIfEmpty(() -> byMetric.remove(e.getKey(), m));
        }
    }

    // ---- internals -------------------------------------------------------------------------

    private Map<Map<String, String>, Double> extreme(
            String metric, List<LabelMatcher> matchers, Duration window, List<String> groupBy, boolean largest) {
        long to = clock.millis();
        long from = to - window.toMillis();
        Map<Map<String, String>, double[]> acc = new LinkedHashMap<>();
        forEachSeries(
                metric,
                matchers,
                s -> s.forEachSlot(from, to, slot -> {
                    double v = largest ? slot.max : slot.min;
                    if (Double.isNaN(v)) {
                        return;
                    }
                    double[] a = acc.computeIfAbsent(key(s, groupBy), k -> new double[] {v});
                    a[0] = largest ? Math.max(a[0], v) : Math.min(a[0], v);
                }));
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[0]));
        return out;
    }

    private void forEachSeries(String metric, List<LabelMatcher> matchers, Consumer<Series> visitor) {
        MetricSeries m = byMetric.get(metric);
        if (m != null) {
            m.forEachMatching(matchers, visitor);
        }
    }

    private static Map<String, String> key(Series s, List<String> groupBy) {
        if (groupBy.isEmpty()) {
            return Map.of();
        }
        Map<String, String> k = new TreeMap<>();
        for (String g : groupBy) {
            String v = s.labels.get(g);
            if (v != null) {
                k.put(g, v);
            }
        }
        return Collections.unmodifiableMap(k);
    }

    private Series series(String metric, Map<String, String> labels) {
        Map<String, String> frozen = null;
        while (true) {
            MetricSeries m = byMetric.computeIfAbsent(metric, x -> new MetricSeries());
            Series s = m.get(labels);
            if (s != null) {
                return s;
            }
            if (frozen == null) {
                frozen = Collections.unmodifiableMap(new TreeMap<>(labels));
            }
            s = m.getOrAdd(frozen, k -> newSeries(metric, k));
            if (s != null || !m.retired()) {
                return s;
            }
            // compaction dropped this metric's (empty) index meanwhile: add to its successor
        }
    }

    private Series newSeries(String metric, Map<String, String> labels) {
        if (seriesCount.incrementAndGet() > maxSeries) {
            seriesCount.decrementAndGet();
            droppedSeries.increment();
            return null;
        }
        return new Series(metric, labels);
    }

    /** Options of {@link MetricWindows}. */
    public static final class Builder {
        private Duration retention = Duration.ofDays(3);
        private int maxSeries = 50_000;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;

        private Builder() {}

        /** How long data is kept: the longest window any rule uses (default 3 d). */
        public Builder retention(Duration d) {
            requireNonNull(d, "retention");
            if (d.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("retention must be at least 1m: " + d);
            }
            this.retention = d;
            return this;
        }

        /** Series held at most; data points of further series are dropped and counted. */
        public Builder maxSeries(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxSeries must be positive: " + n);
            }
            this.maxSeries = n;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            this.registry = requireNonNull(r, "registry");
            return this;
        }

        public MetricWindows build() {
            return new MetricWindows(this);
        }
    }
}
