package dev.vigil.collector.ingest;

import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import dev.vigil.collector.metrics.MutableClock;
import dev.vigil.collector.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Real state (a SQLite file in a temp dir) behind a {@link TelemetryIngest}. */
final class IngestFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Database db;
    final ErrorGroups errors;
    final Instances instances;
    final MetricWindows windows;
    final IngestListeners listeners = new IngestListeners();
    final List<LogEvent> logEvents = new ArrayList<>();
    final TelemetryIngest ingest;

    IngestFixture(Path dir) {
        List<dev.vigil.collector.store.Migration> migrations = new ArrayList<>(ErrorGroups.MIGRATIONS);
        migrations.addAll(Instances.MIGRATIONS);
        db = Database.open(dir.resolve("state.db"), migrations);
        errors = ErrorGroups.builder(db).clock(clock).build();
        instances = Instances.builder(db).clock(clock).build();
        windows = MetricWindows.builder().clock(clock).build();
        listeners.add(logEvents::add);
        ingest = new TelemetryIngest(errors, windows, instances, listeners, registry, clock);
    }

    @Override
    public void close() {
        errors.close();
        db.close();
    }
}
