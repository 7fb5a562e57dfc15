package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one business metric: one per distinct set of tag values, at most {@code maxSeries}
 * of them. Past the cap, a call with new values is recorded in one series whose tag values are all
 * {@code other}, and counted in {@code vigil_agent_metric_overflow_total{metric}}.
 */
final class MetricFamily {
    private static final AgentLog LOG = AgentLog.get(MetricFamily.class);
    static final String OVERFLOW_VALUE = "other";
    /** Seconds: the OpenTelemetry semantic-convention advice for durations. */
    private static final double[] DEFAULT_TIMER_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
    };

    private final HookSpec spec;
    private final String[] tagKeys;
    private final MeterRegistry registry;
    private final int maxSeries;
    private final Map<TagValues, Object> meters = new ConcurrentHashMap<>();
    private final Counter overflow;
    private final TagValues overflowKey;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    /** The only meter of a metric without tags, registered at once (a counter shows 0 before the first call). */
    private final Object single;
    /** Distinct tag sets, the overflow series not included; written under the lock. */
    private volatile int distinct;

    private volatile Object overflowMeter;

    MetricFamily(HookSpec spec, MeterRegistry registry, int defaultMaxSeries) {
        this.spec = spec;
        this.tagKeys = spec.tags().keySet().toArray(new String[0]);
        this.registry = registry;
        this.maxSeries = spec.maxSeries() > 0 ? spec.maxSeries() : defaultMaxSeries;
        this.overflow = Counter.builder("vigil.agent.metric.overflow")
                .tag("metric", spec.name())
                .description("Calls of a business metric recorded as 'other' because it reached its cap of distinct tag"
                        + " sets (metrics.max.series)")
                .register(registry);
        String[] other = new String[tagKeys.length];
        Arrays.fill(other, OVERFLOW_VALUE);
        this.overflowKey = new TagValues(other);
        this.single = tagKeys.length == 0 ? create(other) : null;
    }

    HookSpec spec() {
        return spec;
    }

    int tagCount() {
        return tagKeys.length;
    }

    /** Counts one call (or adds {@code amount} for counters with a value). */
    void count(String[] tagValues, double amount) {
        Object m = meter(tagValues);
        if (m instanceof Counter) {
            ((Counter) m).increment(amount);
        }
    }

    void time(String[] tagValues, long nanos) {
        Object m = meter(tagValues);
        if (m instanceof Timer) {
            ((Timer) m).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void observe(String[] tagValues, double value) {
        Object m = meter(tagValues);
        if (m instanceof DistributionSummary) {
            ((DistributionSummary) m).record(value);
        } else if (m instanceof AtomicLong) {
            ((AtomicLong) m).set(Double.doubleToRawLongBits(value));
        }
    }

    /** Distinct tag sets recorded so far, the overflow series not included. */
    int seriesCount() {
        return tagKeys.length == 0 ? 1 : distinct;
    }

    private Object meter(String[] tagValues) {
        if (single != null) {
            return single;
        }
        TagValues key = new TagValues(tagValues);
        Object m = meters.get(key);
        if (m != null) {
            return m;
        }
        if (distinct >= maxSeries) {
            return overflowed();
        }
        synchronized (this) {
            m = meters.get(key);
            if (m == null) {
                if (distinct >= maxSeries) {
                    return overflowed();
                }
                m = create(tagValues);
                meters.put(key, m);
                distinct++;
            }
            return m;
        }
    }

    private Object overflowed() {
        overflow.increment();
        LOG.warnOnce(
                "overflow:" + spec.name(),
                "metric " + spec.name() + " reached " + maxSeries + " distinct tag sets; new values are recorded as '"
                        + OVERFLOW_VALUE + "' (raise max_series or metrics.max.series if they are expected)",
                null);
        Object m = overflowMeter;
        if (m == null) {
            synchronized (this) {
                m = overflowMeter;
                if (m == null) {
                    m = create(overflowKey.values);
                    overflowMeter = m;
                }
            }
        }
        return m;
    }

    /** Registers one series; on a registration conflict (the name used by another meter) records nothing. */
    private Object create(String[] tagValues) {
        String description = description(spec);
        List<Tag> tags = new ArrayList<>(tagKeys.length);
        for (int i = 0; i < tagKeys.length; i++) {
            tags.add(Tag.of(tagKeys[i], tagValues[i]));
        }
        try {
            switch (spec.kind()) {
                case COUNTER:
                    return keep(Counter.builder(spec.name())
                            .tags(tags)
                            .description(description)
                            .baseUnit(spec.unit())
                            .register(registry));
                case TIMER:
                    Timer.Builder timer = Timer.builder(spec.name())
                            .tags(tags)
                            .description(description)
                            .serviceLevelObjectives(
                                    durations(spec.buckets() != null ? spec.buckets() : DEFAULT_TIMER_BUCKETS))
                            .publishPercentileHistogram(spec.histogram());
                    if (spec.percentiles() != null) {
                        timer.publishPercentiles(spec.percentiles());
                    }
                    return keep(timer.register(registry));
                case DISTRIBUTION:
                    DistributionSummary.Builder summary = DistributionSummary.builder(spec.name())
                            .tags(tags)
                            .description(description)
                            .baseUnit(spec.unit())
                            .publishPercentileHistogram(spec.histogram());
                    if (spec.buckets() != null) {
                        summary.serviceLevelObjectives(spec.buckets());
                    }
                    if (spec.percentiles() != null) {
                        summary.publishPercentiles(spec.percentiles());
                    }
                    return keep(summary.register(registry));
                case GAUGE:
                    AtomicLong last = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
                    keep(Gauge.builder(spec.name(), last, v -> Double.longBitsToDouble(v.get()))
                            .tags(tags)
                            .description(description)
                            .baseUnit(spec.unit())
                            .strongReference(true)
                            .register(registry));
                    return last;
                default:
                    throw new IllegalStateException(spec.kind().name());
            }
        } catch (RuntimeException e) {
            LOG.warnOnce(
                    "register:" + spec.name(),
                    "metric " + spec.name() + " (" + spec.location() + ") cannot be registered; nothing is recorded for"
                            + " it: " + e.getMessage(),
                    null);
            return Boolean.FALSE; // a marker that records nothing
        }
    }

    /** The declared description, else one that says where the metric comes from (Prometheus wants help text). */
    private static String description(HookSpec spec) {
        if (spec.description() != null) {
            return spec.description();
        }
        return "Business metric " + spec.name() + ", " + spec.kind().label() + " of "
                + (spec.selector() != null ? spec.selector().toString() : spec.location());
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }

    private static Duration[] durations(double[] seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return out;
    }

    /** Removes every series of this metric from the registry (the hook was removed or changed). */
    void close() {
        for (Meter m : registered) {
            registry.remove(m);
        }
        registry.remove(overflow);
        registered.clear();
        meters.clear();
        overflowMeter = null;
    }

    /** The tag values of one series, as a map key. */
    private static final class TagValues {
        final String[] values;
        final int hash;

        TagValues(String[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TagValues && Arrays.equals(values, ((TagValues) o).values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
