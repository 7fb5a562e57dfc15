package dev.vigil.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricWindowsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REQUESTS = "http.server.requests";
    private final MutableClock clock = new MutableClock(T0);
    private final MetricWindows windows = MetricWindows.builder().clock(clock).build();

    private long now() {
        return clock.millis();
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void cumulativeCounterThatStartedWhileListeningCountsWhole() {
        long start = now() + 1;
        clock.advance(Duration.ofSeconds(30));
        windows.addSum(REQUESTS, labels("service", "a"), start, now(), 10, true);
        clock.advance(Duration.ofSeconds(30));
        windows.addSum(REQUESTS, labels("service", "a"), start, now(), 25, true);

        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of("service")))
                .containsExactly(Map.entry(Map.of("service", "a"), 25.0));
        assertThat(windows.rate(REQUESTS, List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isCloseTo(25.0 / 300, within(1e-9));
    }

    @Test
    void cumulativeCounterOlderThanTheCollectorOnlySetsTheBaseline() {
        long start = now() - Duration.ofHours(5).toMillis();
        windows.addSum(REQUESTS, labels("service", "a"), start, now(), 1_000, true);
        clock.advance(Duration.ofSeconds(60));
        windows.addSum(REQUESTS, labels("service", "a"), start, now(), 1_004, true);

        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of()))
                .containsExactly(Map.entry(Map.of(), 4.0));
    }

    @Test
    void counterResetCountsTheNewValue() {
        long start = now() - 1000;
        windows.addSum(REQUESTS, labels(), start, now(), 100, true);
        clock.advance(Duration.ofSeconds(10));
        windows.addSum(REQUESTS, labels(), start, now(), 110, true);
        clock.advance(Duration.ofSeconds(10));
        long restarted = now();
        windows.addSum(REQUESTS, labels(), restarted, now(), 3, true);

        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(13.0);
    }

    @Test
    void repeatedOrOlderCumulativePointsAreNotCountedTwice() {
        long start = now() + 1;
        clock.advance(Duration.ofSeconds(10));
        long first = now();
        windows.addSum(REQUESTS, labels(), start, first, 5, true);
        clock.advance(Duration.ofSeconds(10));
        windows.addSum(REQUESTS, labels(), start, now(), 9, true);
        windows.addSum(REQUESTS, labels(), start, now(), 9, true); // a retried request
        windows.addSum(REQUESTS, labels(), start, first, 5, true); // a replayed backlog

        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(9.0);
    }

    @Test
    void deltaPointsAddUp() {
        windows.addSum(REQUESTS, labels(), 0, now(), 3, false);
        clock.advance(Duration.ofSeconds(15));
        windows.addSum(REQUESTS, labels(), 0, now(), 4, false);
        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(1), List.of())
                        .get(Map.of()))
                .isEqualTo(7.0);
    }

    @Test
    void groupsAndMatchersSelectAndSumSeries() {
        windows.addSum(REQUESTS, labels("service", "a", "instance", "1", "status", "200"), 0, now(), 10, false);
        windows.addSum(REQUESTS, labels("service", "a", "instance", "2", "status", "500"), 0, now(), 2, false);
        windows.addSum(REQUESTS, labels("service", "b", "instance", "3", "status", "503"), 0, now(), 5, false);

        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of("service")))
                .containsOnly(Map.entry(Map.of("service", "a"), 12.0), Map.entry(Map.of("service", "b"), 5.0));
        assertThat(windows.increase(
                        REQUESTS,
                        List.of(LabelMatcher.parse("status", "=~5..")),
                        Duration.ofMinutes(5),
                        List.of("service")))
                .containsOnly(Map.entry(Map.of("service", "a"), 2.0), Map.entry(Map.of("service", "b"), 5.0));
        assertThat(windows.increase(
                        REQUESTS, List.of(LabelMatcher.parse("service", "!=a")), Duration.ofMinutes(5), List.of()))
                .containsOnly(Map.entry(Map.of(), 5.0));
        assertThat(windows.increase(
                        REQUESTS, List.of(LabelMatcher.parse("missing", "")), Duration.ofMinutes(5), List.of()))
                .containsOnly(Map.entry(Map.of(), 17.0));
    }

    @Test
    void dataOutsideTheWindowDoesNotCount() {
        windows.addSum(REQUESTS, labels(), 0, now(), 100, false);
        clock.advance(Duration.ofMinutes(10));
        windows.addSum(REQUESTS, labels(), 0, now(), 1, false);
        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(1.0);
        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(15), List.of())
                        .get(Map.of()))
                .isEqualTo(101.0);
        assertThat(windows.increase(REQUESTS, List.of(), Duration.ofMinutes(5), List.of(), T0.plusSeconds(60))
                        .get(Map.of()))
                .isEqualTo(100.0);
    }

    @Test
    void quantileInterpolatesInsideTheBucketLikePrometheus() {
        double[] bounds = {0.1, 0.5, 1.0};
        // 50 requests <= 0.1 s, 40 in (0.1, 0.5], 10 in (0.5, 1]
        windows.addHistogram(
                "latency",
                labels("service", "a"),
                0,
                now(),
                false,
                100,
                20,
                bounds,
                new long[] {50, 40, 10, 0},
                0.01,
                0.9);

        Map<Map<String, String>, Double> p50 =
                windows.quantile(0.5, "latency", List.of(), Duration.ofMinutes(5), List.of("service"));
        assertThat(p50.get(Map.of("service", "a"))).isCloseTo(0.1, within(1e-9));
        Map<Map<String, String>, Double> p95 =
                windows.quantile(0.95, "latency", List.of(), Duration.ofMinutes(5), List.of());
        assertThat(p95.get(Map.of())).isCloseTo(0.75, within(1e-9));
        assertThat(windows.increase("latency", List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(100.0);
        assertThat(windows.max("latency", List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(0.9);
    }

    @Test
    void quantileInTheInfiniteBucketIsTheHighestBound() {
        windows.addHistogram(
                "latency", labels(), 0, now(), false, 10, 100, new double[] {1, 2}, new long[] {0, 0, 10}, 5, 20);
        assertThat(windows.quantile(0.99, "latency", List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(2.0);
    }

    @Test
    void cumulativeHistogramBucketsBecomeIncreases() {
        double[] bounds = {1};
        long start = now() + 1;
        clock.advance(Duration.ofSeconds(10));
        windows.addHistogram("latency", labels(), start, now(), true, 10, 5, bounds, new long[] {10, 0}, 0.1, 0.9);
        clock.advance(Duration.ofMinutes(10));
        windows.addHistogram("latency", labels(), start, now(), true, 20, 50, bounds, new long[] {10, 10}, 0.1, 5);

        assertThat(windows.increase("latency", List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(10.0);
        assertThat(windows.quantile(0.5, "latency", List.of(), Duration.ofMinutes(5), List.of())
                        .get(Map.of()))
                .isEqualTo(1.0);
    }

    @Test
    void quantileOfAnEmptyWindowIsAbsent() {
        windows.addHistogram(
                "latency",
                labels(),
                0,
                now(),
                false,
                0,
                0,
                new double[] {1},
                new long[] {0, 0},
                Double.NaN,
                Double.NaN);
        assertThat(windows.quantile(0.99, "latency", List.of(), Duration.ofMinutes(5), List.of()))
                .isEmpty();
        assertThatThrownBy(() -> windows.quantile(1.5, "latency", List.of(), Duration.ofMinutes(5), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gaugesAnswerLastMinMaxAndAverage() {
        windows.addGauge("queue", labels("service", "a"), now(), 4);
        clock.advance(Duration.ofSeconds(20));
        windows.addGauge("queue", labels("service", "a"), now(), 10);
        clock.advance(Duration.ofSeconds(20));
        windows.addGauge("queue", labels("service", "a"), now(), 7);

        Duration w = Duration.ofMinutes(5);
        assertThat(windows.lastValue("queue", List.of(), w, List.of()).get(Map.of()))
                .isEqualTo(7.0);
        assertThat(windows.max("queue", List.of(), w, List.of()).get(Map.of())).isEqualTo(10.0);
        assertThat(windows.min("queue", List.of(), w, List.of()).get(Map.of())).isEqualTo(4.0);
        assertThat(windows.avg("queue", List.of(), w, List.of()).get(Map.of())).isEqualTo(7.0);
    }

    @Test
    void seriesBeyondTheLimitAreDroppedAndCounted() {
        MetricWindows small = MetricWindows.builder().clock(clock).maxSeries(2).build();
        assertThat(small.addSum("m", labels("i", "1"), 0, now(), 1, false)).isTrue();
        assertThat(small.addSum("m", labels("i", "2"), 0, now(), 1, false)).isTrue();
        assertThat(small.addSum("m", labels("i", "3"), 0, now(), 1, false)).isFalse();
        assertThat(small.addSum("m", labels("i", "1"), 0, now(), 1, false)).isTrue();
        assertThat(small.seriesCount()).isEqualTo(2);
        assertThat(small.droppedSeries()).isEqualTo(1);
    }

    @Test
    void compactionKeepsLongWindowTotalsAndForgetsPastRetention() {
        MetricWindows w = MetricWindows.builder()
                .clock(clock)
                .retention(Duration.ofDays(1))
                .build();
        // one point a minute for 30 hours
        for (int i = 0; i < 30 * 60; i++) {
            w.addSum("m", labels(), 0, now(), 1, false);
            clock.advance(Duration.ofMinutes(1));
            if (i % 30 == 0) {
                w.compact();
            }
        }
        w.compact();
        // within one coarse slot of the exact count
        assertThat(w.increase("m", List.of(), Duration.ofHours(12), List.of()).get(Map.of()))
                .isCloseTo(720.0, within(5.0));
        assertThat(w.increase("m", List.of(), Duration.ofMinutes(5), List.of()).get(Map.of()))
                .isCloseTo(5.0, within(1.0));
        assertThat(w.increase("m", List.of(), Duration.ofDays(3), List.of()).get(Map.of()))
                .isLessThanOrEqualTo(24 * 60 + 5);
        clock.advance(Duration.ofDays(2));
        w.compact();
        assertThat(w.seriesCount()).isZero();
        assertThat(w.increase("m", List.of(), Duration.ofDays(1), List.of())).isEmpty();
    }

    @Test
    void expiredSeriesLeaveTheIndexAndComeBackWhenTheyReportAgain() {
        MetricWindows w = MetricWindows.builder()
                .clock(clock)
                .retention(Duration.ofHours(1))
                .build();
        List<LabelMatcher> serviceA = List.of(LabelMatcher.equal("service", "a"));
        w.addSum("m", labels("service", "a"), 0, now(), 1, false);
        w.addSum("m", labels("service", "b"), 0, now(), 1, false);
        clock.advance(Duration.ofMinutes(59));
        w.addSum("m", labels("service", "b"), 0, now(), 1, false);
        clock.advance(Duration.ofMinutes(3));
        w.compact();

        assertThat(w.seriesCount()).isEqualTo(1);
        assertThat(w.increase("m", serviceA, Duration.ofHours(1), List.of())).isEmpty();
        assertThat(w.increase("m", List.of(LabelMatcher.equal("service", "b")), Duration.ofHours(1), List.of()))
                .containsExactly(Map.entry(Map.of(), 1.0));

        clock.advance(Duration.ofHours(2));
        w.compact();
        assertThat(w.seriesCount()).isZero();
        assertThat(w.metricNames())
                .as("the metric's index goes with its last series")
                .isEmpty();

        w.addSum("m", labels("service", "a"), 0, now(), 5, false);
        assertThat(w.increase("m", serviceA, Duration.ofMinutes(5), List.of()))
                .containsExactly(Map.entry(Map.of(), 5.0));
        assertThat(w.seriesCount()).isEqualTo(1);
    }

    @Test
    void queriesThroughTheIndexGiveTheTotalsOfABruteForceScan() {
        java.util.Random random = new java.util.Random(7);
        String[] services = {"a", "b", "c", ""};
        String[] routes = {"/x", "/y", null};
        Map<Map<String, String>, Double> added = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            Map<String, String> l = labels("service", services[random.nextInt(services.length)], "pod", "p" + i);
            String route = routes[random.nextInt(routes.length)];
            if (route != null) {
                l.put("route", route);
            }
            double value = 1 + random.nextInt(100); // whole numbers: sums are exact in any order
            windows.addSum(REQUESTS, l, 0, now(), value, false);
            added.put(l, value);
        }
        List<List<LabelMatcher>> queries = List.of(
                List.of(LabelMatcher.equal("service", "a")),
                List.of(LabelMatcher.equal("service", "a"), LabelMatcher.equal("route", "/x")),
                List.of(LabelMatcher.equal("route", "/y"), LabelMatcher.notEqual("service", "b")),
                List.of(LabelMatcher.equal("service", "c"), LabelMatcher.equal("route", "")),
                List.of(LabelMatcher.equal("service", ""), LabelMatcher.matches("route", "/.")),
                List.of(LabelMatcher.equal("route", "/x"), LabelMatcher.notMatches("service", "a|b")),
                List.of(LabelMatcher.matches("service", "a|")),
                List.of(LabelMatcher.equal("service", "nobody")));
        for (List<LabelMatcher> q : queries) {
            Map<Map<String, String>, Double> expected = new java.util.HashMap<>();
            added.forEach((l, v) -> {
                if (q.stream().allMatch(m -> m.test(l))) {
                    Map<String, String> group = new java.util.TreeMap<>();
                    if (l.containsKey("route")) {
                        group.put("route", l.get("route"));
                    }
                    expected.merge(group, v, Double::sum);
                }
            });
            assertThat(windows.increase(REQUESTS, q, Duration.ofMinutes(1), List.of("route")))
                    .as("%s", q)
                    .isEqualTo(expected);
        }
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        windows.addGauge("g", labels(), now(), Double.NaN);
        windows.addSum("c", labels(), 0, now(), Double.POSITIVE_INFINITY, false);
        assertThat(windows.seriesCount()).isZero();
    }
}
