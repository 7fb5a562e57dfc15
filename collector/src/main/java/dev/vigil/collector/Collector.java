package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.http.RouteRegistry;
import dev.vigil.collector.ingest.IngestListeners;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import dev.vigil.collector.store.DataDirBackup;
import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's state and features, started in dependency order and stopped in reverse:
 * database → error groups, instances, metric windows → features → (ports, by {@link CollectorServer}).
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final CollectorConfig config;
    private final List<CollectorFeature> features;
    private final List<CollectorFeature> started = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Database database;
    private final ErrorGroups errorGroups;
    private final Instances instances;
    private final MetricWindows metricWindows;
    private final IngestListeners ingestListeners = new IngestListeners();
    private final RouteRegistry routes;
    private final CollectorContext context;

    private Collector(
            CollectorConfig config,
            List<CollectorFeature> features,
            MeterRegistry registry,
            Clock clock,
            RouteRegistry routes) {
        this.config = config;
        this.routes = routes;
        this.features = features;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-scheduler");
            t.setDaemon(true);
            return t;
        });
        List<Migration> migrations = new ArrayList<>();
        migrations.addAll(ErrorGroups.MIGRATIONS);
        migrations.addAll(Instances.MIGRATIONS);
        for (CollectorFeature f : features) {
            migrations.addAll(f.migrations());
        }
        this.database = Database.builder(config.dataDir().resolve(DataDirBackup.DATABASE))
                .migrations(migrations)
                .synchronous(config.store().synchronous())
                .meterRegistry(registry)
                .open();
        CollectorConfig.Errors e = config.errors();
        this.errorGroups = ErrorGroups.builder(database)
                .clock(clock)
                .maxGroups(e.maxGroups())
                .newPeriod(e.newPeriod())
                .resolveAfter(e.resolveAfter())
                .countRetention(e.countRetention())
                .inAppPackages(e.inAppPackages())
                .queueCapacity(e.queueCapacity())
                .meterRegistry(registry)
                .build();
        this.instances = Instances.builder(database)
                .clock(clock)
                .silentAfter(config.instances().silentAfter())
                .forgetAfter(config.instances().forgetAfter())
                .meterRegistry(registry)
                .build();
        this.metricWindows = MetricWindows.builder()
                .clock(clock)
                .retention(config.metrics().retention())
                .maxSeries(config.metrics().maxSeries())
                .meterRegistry(registry)
                .build();
        this.context = new CollectorContext(
                config,
                database,
                metricWindows,
                errorGroups,
                instances,
                ingestListeners,
                routes,
                registry,
                scheduler,
                clock);
    }

    /**
     * The features built on the collector's state, in start order. Add a feature here (one line)
     * to have it configured, migrated, started and stopped with the collector.
     */
    public static List<CollectorFeature> features() {
        return new ArrayList<>(List.of(new dev.vigil.collector.notify.AlertingFeature()));
    }

    /** Opens the state (applying migrations) and starts the features; the ports are not open yet. */
    public static Collector start(
            CollectorConfig config,
            List<CollectorFeature> features,
            MeterRegistry registry,
            Clock clock,
            RouteRegistry routes)
            throws Exception {
        Collector c = new Collector(config, List.copyOf(features), registry, clock, routes);
        try {
            c.startFeatures();
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startFeatures() throws Exception {
        scheduler.scheduleWithFixedDelay(this::flushInstances, 5, 5, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::maintain, 30, 60, TimeUnit.SECONDS);
        for (CollectorFeature f : features) {
            f.start(context);
            started.add(f);
        }
    }

    public CollectorContext context() {
        return context;
    }

    public CollectorConfig config() {
        return config;
    }

    private void flushInstances() {
        try {
            instances.flush();
        } catch (RuntimeException e) {
            log.warn("writing instance heartbeats failed (retried in 5 s): {}", e.getMessage());
        }
    }

    private void maintain() {
        try {
            metricWindows.compact();
            errorGroups.maintain();
            instances.maintain();
        } catch (RuntimeException e) {
            log.warn("periodic maintenance failed (retried in 1 min): {}", e.getMessage());
        }
    }

    /** Stops features (reverse order), flushes heartbeats, commits queued error groups, closes the database. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException e) {
                log.warn("stopping a feature failed: {}", e.toString());
            }
        }
        scheduler.shutdownNow();
        errorGroups.close();
        flushInstances();
        database.close();
    }
}
