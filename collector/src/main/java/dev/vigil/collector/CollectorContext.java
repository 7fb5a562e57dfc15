package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.http.RouteRegistry;
import dev.vigil.collector.ingest.IngestListeners;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import dev.vigil.collector.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link CollectorFeature} gets at start: the collector's state and registries.
 *
 * @param meterRegistry the collector's own metrics (served on {@code /metrics}, and fed into
 *     {@link MetricWindows} as service {@code vigil-collector} every 15 s so rules can watch them)
 * @param scheduler a shared scheduler for short periodic tasks (do not block it)
 */
public record CollectorContext(
        CollectorConfig config,
        Database database,
        MetricWindows metricWindows,
        ErrorGroups errorGroups,
        Instances instances,
        IngestListeners ingestListeners,
        RouteRegistry routes,
        MeterRegistry meterRegistry,
        ScheduledExecutorService scheduler,
        Clock clock) {}
