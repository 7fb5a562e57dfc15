package dev.vigil.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.errors.ErrorOccurrence;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error-spike rule over the collector's real error store, whose counts are per minute, on a
 * fake clock: a sustained spike keeps one alert firing, it does not fire and resolve every minute.
 */
class ErrorSpikeMinuteBucketsTest {
    private static final Instant SPIKE_START = Instant.parse("2026-01-01T11:00:00Z");
    private static final String RULES = """
        groups:
          - name: spikes
            interval: 5s
            rules:
              - alert: ErrorSpike
                kind: error_spike
                window: 1m
                baseline: 1h
                factor: 5
                min_count: 10
                for: 20s
                labels: {severity: page}
        """;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(SPIKE_START);
    private Database db;
    private ErrorGroups errors;
    private AlertsDatabase alertsDb;
    private Evaluator evaluator;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        List<Migration> migrations = new ArrayList<>(ErrorGroups.MIGRATIONS);
        migrations.addAll(Instances.MIGRATIONS);
        db = Database.open(dir.resolve("state.db"), migrations);
        errors = ErrorGroups.builder(db).clock(clock).build();
        Instances instances = Instances.builder(db).clock(clock).build();
        MetricWindows windows = MetricWindows.builder().clock(clock).build();
        alertsDb = AlertsDatabase.open(dir.resolve("alerts.db"));
        RuleSet rules = RuleFileLoader.create(dir, Duration.ofSeconds(30), n -> null, clock)
                .parse("spikes.yaml", RULES);
        evaluator = Evaluator.create(
                rules,
                new CollectorRuleInputs(windows, errors, instances),
                new LogPatternCounts(),
                new AlertStore(alertsDb),
                clock,
                new Links("http://collector:9096", null));
    }

    @AfterEach
    void close() throws Exception {
        errors.close();
        db.close();
        alertsDb.close();
    }

    private void error(Instant at) {
        errors.record(List.of(new ErrorOccurrence(
                        "shop",
                        at,
                        "fp-timeout",
                        "java.net.SocketTimeoutException",
                        "read timed out",
                        null,
                        "timeout",
                        true,
                        null,
                        null,
                        false)))
                .join();
    }

    /**
     * Advances the clock a second at a time to {@code until}: an error every {@code errorEvery}
     * seconds (none if 0), an evaluation every 5 seconds.
     */
    private void run(Instant until, int errorEvery) {
        while (clock.instant().isBefore(until)) {
            clock.advance(Duration.ofSeconds(1));
            long second = Duration.between(SPIKE_START, clock.instant()).toSeconds();
            if (errorEvery > 0 && second % errorEvery == 0) {
                error(clock.instant());
            }
            if (second % 5 == 0) {
                for (AlertEvent e : evaluator.evaluateAll()) {
                    events.add(e.kind() + " at +" + second + "s");
                }
            }
        }
    }

    @Test
    void sustainedSpikeFiresOnceAndResolvesOnceWithOneMinuteWindows() {
        // An hour of one error a minute (the baseline), then 20 a minute for five minutes, then none.
        for (int m = 60; m > 0; m--) {
            error(SPIKE_START.minus(Duration.ofMinutes(m)).plusSeconds(30));
        }
        run(SPIKE_START.plus(Duration.ofMinutes(5)), 3);
        // Summing whole minutes, the window held only the current minute's seconds: after each
        // minute boundary the count fell below min_count and the alert resolved, then fired again.
        assertThat(events).containsExactly("pending at +30s", "firing at +50s");
        Alert firing = evaluator.alerts().get(0);
        // 20 a minute against a baseline lifted by the spike's first four minutes: (20/1) / (136/60).
        assertThat(firing.value()).isBetween(8.0, 9.5);

        run(SPIKE_START.plus(Duration.ofMinutes(8)), 0);
        // The last minute's errors leave the window second by second; half-way out, the recent rate
        // (11 a minute) is no longer 5 times the baseline the spike has lifted (2.4 a minute).
        assertThat(events).containsExactly("pending at +30s", "firing at +50s", "resolved at +330s");
    }
}
