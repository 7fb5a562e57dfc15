package dev.vigil.collector;

import dev.vigil.collector.metrics.MetricWindows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies the collector's own counters and gauges into {@link MetricWindows} as service
 * {@code vigil-collector}, so rules can watch the collector like any other service (for example
 * {@code vigil.collector.outbox.pending}).
 */
final class SelfMetricsFeed implements Runnable {
    static final String SERVICE = "vigil-collector";

    private final MeterRegistry registry;
    private final MetricWindows windows;
    private final Clock clock;
    private final long start;
    private final String instance;

    SelfMetricsFeed(MeterRegistry registry, MetricWindows windows, Clock clock, String instance) {
        this.registry = registry;
        this.windows = windows;
        this.clock = clock;
        this.start = clock.millis();
        this.instance = instance;
    }

    @Override
    public void run() {
        long now = clock.millis();
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            if (m instanceof Counter c) {
                windows.addSum(name, labels(m), start, now, c.count(), true);
            } else if (m instanceof FunctionCounter c) {
                windows.addSum(name, labels(m), start, now, c.count(), true);
            } else if (m instanceof Gauge g) {
                windows.addGauge(name, labels(m), now, g.value());
            }
        }
    }

    private Map<String, String> labels(Meter m) {
        Map<String, String> labels = new HashMap<>();
        for (Tag t : m.getId().getTagsAsIterable()) {
            labels.put(t.getKey(), t.getValue());
        }
        labels.put(MetricWindows.SERVICE, SERVICE);
        labels.put(MetricWindows.INSTANCE, instance);
        return labels;
    }
}
