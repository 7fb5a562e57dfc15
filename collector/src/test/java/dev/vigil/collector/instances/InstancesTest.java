package dev.vigil.collector.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.metrics.MutableClock;
import dev.vigil.collector.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstancesTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("state.db"), Instances.MIGRATIONS);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Instances instances() {
        return Instances.builder(db)
                .clock(clock)
                .silentAfter(Duration.ofMinutes(2))
                .forgetAfter(Duration.ofDays(1))
                .build();
    }

    @Test
    void tracksStateFromReportsSilenceAndGracefulStop() {
        Instances i = instances();
        Heartbeat a = new Heartbeat("shop", "a", "h1", "vigil 0.1.0");
        i.seen(a);
        assertThat(i.list()).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(InstanceState.REPORTING);
            assertThat(x.host()).isEqualTo("h1");
            assertThat(x.agentVersion()).isEqualTo("vigil 0.1.0");
        });
        clock.advance(Duration.ofMinutes(3));
        assertThat(i.list().get(0).state()).isEqualTo(InstanceState.SILENT);
        i.seen(a);
        i.stopped(a);
        clock.advance(Duration.ofMinutes(10));
        assertThat(i.list().get(0).state()).isEqualTo(InstanceState.STOPPED);
        i.seen(a); // it came back
        assertThat(i.list().get(0).state()).isEqualTo(InstanceState.REPORTING);
    }

    @Test
    void theStoppingProcesssOwnLastFlushDoesNotReviveIt() {
        Instances i = instances();
        Heartbeat a = new Heartbeat("checkout", "i-1", "host-a", "vigil 0.1.0");
        i.seen(a);
        i.stopped(a);
        clock.advance(Duration.ofMillis(300));
        i.seen(a); // spans and metrics flushed after the stop record
        assertThat(i.list().get(0).state()).isEqualTo(InstanceState.STOPPED);
        clock.advance(Duration.ofSeconds(30));
        i.seen(a); // running again
        assertThat(i.list().get(0).state()).isEqualTo(InstanceState.REPORTING);
    }

    @Test
    void flushedInstancesSurviveAReopenUnflushedOnesDoNot() {
        Instances first = instances();
        first.seen(new Heartbeat("shop", "a", "h1", null));
        first.flush();
        clock.advance(Duration.ofSeconds(30));
        first.seen(new Heartbeat("shop", "b", "h2", null)); // never flushed: a kill -9 now loses it
        Instances second = instances();
        assertThat(second.list()).extracting(Instance::instanceId).containsExactly("a");
        assertThat(second.list().get(0).lastSeen()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void forgetRemovesAtOnceAndMaintenanceForgetsTheLongSilent() {
        Instances i = instances();
        i.seen(new Heartbeat("shop", "a", null, null));
        i.seen(new Heartbeat("shop", "b", null, null));
        i.flush();
        String a = Instances.instanceKey("shop", "a");
        assertThat(i.forget(a)).isTrue();
        assertThat(i.forget(a)).isFalse();
        assertThat(i.get(a)).isEmpty();
        clock.advance(Duration.ofDays(2));
        i.maintain();
        assertThat(i.list()).isEmpty();
        assertThat(instances().list()).isEmpty();
    }
}
