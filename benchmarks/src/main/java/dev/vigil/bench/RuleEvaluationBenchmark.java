package dev.vigil.bench;

import dev.vigil.collector.errors.ErrorGroups;
import dev.vigil.collector.instances.Instances;
import dev.vigil.collector.metrics.MetricWindows;
import dev.vigil.collector.rules.AlertStore;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.CollectorRuleInputs;
import dev.vigil.collector.rules.Evaluator;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.LogPatternCounts;
import dev.vigil.collector.rules.RuleFileLoader;
import dev.vigil.collector.rules.RuleSet;
import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One evaluation round of 1,000 rules over 10,000 series of {@code http.server.request.duration}
 * (100 services × 20 routes × 5 status codes, a histogram point per series per minute for 10
 * minutes): 400 error-ratio rules, 300 p99-latency rules and 300 request-rate thresholds, each
 * selecting one service or route, through the collector's metric windows and alert store. Two
 * services fail enough to fire, so the round also writes alert state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RuleEvaluationBenchmark {
    private static final String METRIC = "http.server.request.duration";
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    private Path dir;
    private Database database;
    private ErrorGroups errorGroups;
    private Evaluator evaluator;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("vigil-rule-bench");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        MetricWindows windows =
                MetricWindows.builder().clock(clock).maxSeries(20_000).build();
        String[] statuses = {"200", "201", "404", "500", "503"};
        long start = NOW.minus(Duration.ofMinutes(10)).toEpochMilli();
        for (int s = 0; s < 100; s++) {
            for (int r = 0; r < 20; r++) {
                for (String status : statuses) {
                    boolean error = status.startsWith("5");
                    Map<String, String> labels = error
                            ? Map.of(
                                    "service",
                                    "svc" + s,
                                    "http.route",
                                    "/r" + r,
                                    "http.response.status_code",
                                    status,
                                    "error.type",
                                    status)
                            : Map.of("service", "svc" + s, "http.route", "/r" + r, "http.response.status_code", status);
                    long perMinute = error ? (s < 2 ? 50 : 1) : 100;
                    for (int m = 0; m <= 10; m++) {
                        long count = perMinute * m;
                        long[] buckets = new long[BOUNDS.length + 1];
                        buckets[4] = count;
                        windows.addHistogram(
                                METRIC,
                                labels,
                                start,
                                start + m * 60_000L,
                                true,
                                count,
                                count * 0.08,
                                BOUNDS,
                                buckets,
                                0.01,
                                0.09);
                    }
                }
            }
        }
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("bench.md"), "# Bench\n\n## Meaning\n{{service}}\n");
        StringBuilder yaml = new StringBuilder("groups:\n  - name: bench\n    rules:\n");
        for (int i = 0; i < 1000; i++) {
            String where;
            String body;
            if (i < 400) {
                where = "{service: svc" + (i % 100) + "}";
                body = "kind: error_ratio, window: 5m, threshold: 0.2, min_requests: 10";
            } else if (i < 700) {
                where = "{service: svc" + (i % 100) + "}";
                body = "kind: latency_quantile, quantile: 0.99, window: 5m, threshold: 1, min_requests: 10";
            } else {
                where = "{http.route: /r" + (i % 20) + "}";
                body = "kind: threshold, metric: " + METRIC + ", function: rate, window: 5m, threshold: 1000";
            }
            yaml.append("      - {alert: Rule")
                    .append(i)
                    .append(", ")
                    .append(body)
                    .append(", where: ")
                    .append(where)
                    .append(", labels: {severity: ticket}, runbook: bench.md}\n");
        }
        Files.writeString(rules.resolve("bench.yaml"), yaml);
        RuleSet set = RuleFileLoader.create(rules, Duration.ofSeconds(30), name -> null, clock)
                .load();
        List<Migration> migrations = new ArrayList<>(ErrorGroups.MIGRATIONS);
        migrations.addAll(Instances.MIGRATIONS);
        migrations.addAll(AlertsDatabase.MIGRATIONS);
        database = Database.open(dir.resolve("vigil.db"), migrations);
        errorGroups = ErrorGroups.builder(database).clock(clock).build();
        Instances instances = Instances.builder(database).clock(clock).build();
        evaluator = Evaluator.create(
                set,
                new CollectorRuleInputs(windows, errorGroups, instances),
                new LogPatternCounts(),
                new AlertStore(AlertsDatabase.of(database)),
                clock,
                new Links("http://localhost:9096", null));
        evaluator.evaluateAll();
        if (evaluator.alerts().size() != 8) {
            throw new IllegalStateException("expected 8 alerts (2 failing services × 4 error-ratio rules), got "
                    + evaluator.alerts().size());
        }
    }

    @Benchmark
    public int evaluate1000RulesOver10000Series() {
        return evaluator.evaluateAll().size() + evaluator.alerts().size();
    }

    @TearDown
    public void tearDown() throws Exception {
        errorGroups.close();
        database.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
