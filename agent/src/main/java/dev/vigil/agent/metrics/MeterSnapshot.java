package dev.vigil.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads every meter of a Micrometer registry into OpenTelemetry metric data, under the meters'
 * OpenTelemetry names ({@code http.server.request.duration}, unit {@code s}) and with their tags as
 * attributes: counters become cumulative monotonic sums, gauges gauges, timers and distribution
 * summaries cumulative histograms with their buckets, sum and max. The resource carries the
 * service, so the registry's common {@code service} tag is left out of the attributes.
 */
final class MeterSnapshot {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.vigil.agent");

    private final Resource resource;
    private final long startEpochNanos;
    private final String omittedTag;

    MeterSnapshot(Resource resource, long startEpochNanos, String omittedTag) {
        this.resource = resource;
        this.startEpochNanos = startEpochNanos;
        this.omittedTag = omittedTag;
    }

    /** One metric per name, with one point per tag set. */
    List<MetricData> read(Collection<Meter> meters, long nowEpochNanos) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Meter meter : meters) {
            Meter.Id id = meter.getId();
            Attributes attributes = attributes(id);
            String key = id.getName() + "\u0000" + id.getType();
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(id);
                groups.put(key, g);
            }
            if (meter instanceof TimeGauge) {
                g.gauge(point(attributes, nowEpochNanos, ((TimeGauge) meter).value(TimeUnit.SECONDS)));
            } else if (meter instanceof Gauge) {
                g.gauge(point(attributes, nowEpochNanos, ((Gauge) meter).value()));
            } else if (meter instanceof Counter) {
                g.sum(point(attributes, nowEpochNanos, ((Counter) meter).count()));
            } else if (meter instanceof FunctionCounter) {
                g.sum(point(attributes, nowEpochNanos, ((FunctionCounter) meter).count()));
            } else if (meter instanceof Timer) {
                g.unit = "s";
                g.histogram(histogram(attributes, nowEpochNanos, ((Timer) meter).takeSnapshot(), true));
            } else if (meter instanceof DistributionSummary) {
                g.histogram(histogram(attributes, nowEpochNanos, ((DistributionSummary) meter).takeSnapshot(), false));
            } else if (meter instanceof FunctionTimer) {
                FunctionTimer t = (FunctionTimer) meter;
                g.unit = "s";
                g.histogram(ImmutableHistogramPointData.create(
                        startEpochNanos,
                        nowEpochNanos,
                        attributes,
                        t.totalTime(TimeUnit.SECONDS),
                        false,
                        0,
                        false,
                        0,
                        new ArrayList<>(),
                        List.of((long) t.count())));
            }
            // long task timers and custom meters are not exported over OTLP
        }
        List<MetricData> out = new ArrayList<>();
        for (Group g : groups.values()) {
            g.addTo(out, resource);
        }
        return out;
    }

    private Attributes attributes(Meter.Id id) {
        AttributesBuilder b = Attributes.builder();
        for (Tag t : id.getTagsAsIterable()) {
            if (!t.getKey().equals(omittedTag)) {
                b.put(t.getKey(), t.getValue());
            }
        }
        return b.build();
    }

    private DoublePointData point(Attributes attributes, long now, double value) {
        return Double.isNaN(value) ? null : ImmutableDoublePointData.create(startEpochNanos, now, attributes, value);
    }

    private HistogramPointData histogram(Attributes attributes, long now, HistogramSnapshot s, boolean seconds) {
        CountAtBucket[] buckets = s.histogramCounts();
        List<Double> bounds = new ArrayList<>(buckets.length);
        List<Long> counts = new ArrayList<>(buckets.length + 1);
        long previous = 0;
        for (CountAtBucket b : buckets) {
            double bound = seconds ? b.bucket(TimeUnit.SECONDS) : b.bucket();
            if (Double.isInfinite(bound)) {
                continue;
            }
            long cumulative = (long) b.count();
            bounds.add(bound);
            counts.add(Math.max(0, cumulative - previous));
            previous = cumulative;
        }
        counts.add(Math.max(0, s.count() - previous));
        double sum = seconds ? s.total(TimeUnit.SECONDS) : s.total();
        double max = seconds ? s.max(TimeUnit.SECONDS) : s.max();
        return ImmutableHistogramPointData.create(
                startEpochNanos, now, attributes, sum, false, 0, s.count() > 0, max, bounds, counts);
    }

    /** The points of one metric name. */
    private static final class Group {
        final Meter.Id id;
        String unit;
        final List<DoublePointData> gauges = new ArrayList<>();
        final List<DoublePointData> sums = new ArrayList<>();
        final List<HistogramPointData> histograms = new ArrayList<>();

        Group(Meter.Id id) {
            this.id = id;
            this.unit = id.getBaseUnit();
        }

        void gauge(DoublePointData p) {
            if (p != null) {
                gauges.add(p);
            }
        }

        void sum(DoublePointData p) {
            if (p != null) {
                sums.add(p);
            }
        }

        void histogram(HistogramPointData p) {
            histograms.add(p);
        }

        void addTo(List<MetricData> out, Resource resource) {
            String name = id.getName();
            String description = id.getDescription() == null ? "" : id.getDescription();
            String u = unit == null ? "" : unit;
            if (!gauges.isEmpty()) {
                out.add(ImmutableMetricData.createDoubleGauge(
                        resource, SCOPE, name, description, u, ImmutableGaugeData.create(gauges)));
            }
            if (!sums.isEmpty()) {
                out.add(ImmutableMetricData.createDoubleSum(
                        resource,
                        SCOPE,
                        name,
                        description,
                        u,
                        ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, sums)));
            }
            if (!histograms.isEmpty()) {
                out.add(ImmutableMetricData.createDoubleHistogram(
                        resource,
                        SCOPE,
                        name,
                        description,
                        u,
                        ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, histograms)));
            }
        }
    }
}
