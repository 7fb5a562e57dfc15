package dev.vigil.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricSeriesTest {
    private static final String[] NAMES = {"service", "route", "code", "region"};
    // "" is a value a series can carry; "zz" is one no series carries
    private static final String[] VALUES = {"a", "b", "ab", "svc1", "svc2", "", "zz"};
    private static final String[] REGEXES = {"", ".*", ".+", "a", "a|b", "a.*", "svc[12]", "b?", "a|", "(svc)?1", "z+"};

    private final MetricSeries metric = new MetricSeries();

    @Test
    void indexedSelectionIsExactlyTheScanForRandomSeriesAndMatchers() {
        Random random = new Random(20261126L);
        List<Series> added = new ArrayList<>();
        int cases = 0;
        int indexedNonEmpty = 0;
        for (int round = 0; round < 8; round++) {
            // churn between rounds, so the postings are checked after removals too
            Collections.shuffle(added, random);
            for (Series s : added.subList(0, added.size() / 3)) {
                assertThat(metric.remove(s)).isTrue();
            }
            added.removeIf(s -> metric.get(s.labels) == null);
            for (int i = 0; i < 150; i++) {
                Series s = add(randomLabels(random));
                if (!added.contains(s)) {
                    added.add(s);
                }
            }
            for (int q = 0; q < 500; q++) {
                List<LabelMatcher> matchers = randomMatchers(random);
                Set<Series> expected = scan(matchers);
                assertThat(selected(matchers)).as("%s", matchers).isEqualTo(expected);
                cases++;
                if (!expected.isEmpty() && matchers.stream().anyMatch(MetricSeriesTest::indexable)) {
                    indexedNonEmpty++;
                }
            }
        }
        assertThat(cases).isEqualTo(4_000);
        assertThat(indexedNonEmpty)
                .as("cases that go through the postings and select something")
                .isGreaterThan(1_000);
    }

    @Test
    void emptyValueMatchersSelectSeriesWithoutTheLabel() {
        Series withRegion = add(labels("service", "a", "region", "eu"));
        Series withEmptyRegion = add(labels("service", "a", "region", ""));
        Series withoutRegion = add(labels("service", "a"));

        assertThat(selected(List.of(LabelMatcher.equal("service", "a"), LabelMatcher.equal("region", ""))))
                .containsExactlyInAnyOrder(withEmptyRegion, withoutRegion);
        assertThat(selected(List.of(LabelMatcher.equal("service", "a"), LabelMatcher.notEqual("region", ""))))
                .containsExactly(withRegion);
        assertThat(selected(List.of(LabelMatcher.equal("service", "a"), LabelMatcher.matches("region", "e"))))
                .as("regular expressions match the whole value")
                .isEmpty();
        assertThat(selected(List.of(LabelMatcher.equal("service", "a"), LabelMatcher.notMatches("region", ".+"))))
                .containsExactlyInAnyOrder(withEmptyRegion, withoutRegion);
        assertThat(selected(List.of(LabelMatcher.equal("service", "b")))).isEmpty();
    }

    @Test
    void removedSeriesLeaveNoPostings() {
        Series a = add(labels("service", "a", "route", "/x"));
        Series b = add(labels("service", "b", "route", "/x"));
        assertThat(metric.postingCount()).isEqualTo(4);

        assertThat(metric.remove(a)).isTrue();
        assertThat(metric.remove(a)).as("already gone").isFalse();
        assertThat(metric.postings("service", "a")).isNull();
        assertThat(metric.postings("route", "/x")).containsExactly(b);
        assertThat(metric.postingCount()).isEqualTo(2);

        assertThat(metric.remove(b)).isTrue();
        assertThat(metric.postings("route", "/x")).isNull();
        assertThat(metric.postingCount()).isZero();
        assertThat(selected(List.of(LabelMatcher.equal("route", "/x")))).isEmpty();
    }

    @Test
    void retiredMetricTakesNoNewSeries() {
        metric.retireIfEmpty(() -> {});

        assertThat(metric.retired()).isTrue();
        assertThat(metric.getOrAdd(labels("service", "a"), l -> new Series("m", l)))
                .isNull();
        assertThat(metric.all()).isEmpty();
    }

    @Test
    void metricWithSeriesIsNotRetired() {
        add(labels("service", "a"));
        List<String> unpublished = new ArrayList<>();
        metric.retireIfEmpty(() -> unpublished.add("m"));

        assertThat(metric.retired()).isFalse();
        assertThat(unpublished).isEmpty();
    }

    @Test
    void concurrentAddsAndRemovesLeaveThePostingsInStepWithTheSeries() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        // few label values, so threads keep emptying and refilling the same sets
                        Series s = add(labels("service", "s" + random.nextInt(3), "route", "r" + random.nextInt(3)));
                        if (random.nextBoolean()) {
                            metric.remove(s);
                        }
                        metric.forEachMatching(List.of(LabelMatcher.equal("service", "s0")), x -> {});
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int labelCount = 0;
        for (Series s : metric.all()) {
            labelCount += s.labels.size();
            s.labels.forEach(
                    (name, value) -> assertThat(metric.postings(name, value)).contains(s));
        }
        assertThat(metric.postingCount()).isEqualTo(labelCount);
    }

    private Series add(Map<String, String> labels) {
        return metric.getOrAdd(labels, l -> new Series("m", l));
    }

    private Set<Series> selected(List<LabelMatcher> matchers) {
        List<Series> visited = new ArrayList<>();
        metric.forEachMatching(matchers, visited::add);
        Set<Series> distinct = new HashSet<>(visited);
        assertThat(distinct).as("each series visited once").hasSameSizeAs(visited);
        return distinct;
    }

    /** The reference: every series, every matcher. */
    private Set<Series> scan(List<LabelMatcher> matchers) {
        Set<Series> out = new HashSet<>();
        for (Series s : metric.all()) {
            if (matchers.stream().allMatch(m -> m.test(s.labels))) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean indexable(LabelMatcher m) {
        return m.op() == LabelMatcher.Op.EQUAL && !m.value().isEmpty();
    }

    private static Map<String, String> randomLabels(Random random) {
        Map<String, String> m = new TreeMap<>();
        for (String name : NAMES) {
            if (random.nextInt(4) > 0) { // a quarter of the series lack each label
                m.put(name, VALUES[random.nextInt(VALUES.length - 1)]); // never "zz"
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<LabelMatcher> randomMatchers(Random random) {
        List<LabelMatcher> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = random.nextInt(10) == 0 ? "absent" : NAMES[random.nextInt(NAMES.length)];
            String value = VALUES[random.nextInt(VALUES.length)];
            String regex = REGEXES[random.nextInt(REGEXES.length)];
            out.add(
                    switch (random.nextInt(6)) {
                        case 0, 1, 2 -> LabelMatcher.equal(name, value); // the indexed kind, most often
                        case 3 -> LabelMatcher.notEqual(name, value);
                        case 4 -> LabelMatcher.matches(name, regex);
                        default -> LabelMatcher.notMatches(name, regex);
                    });
        }
        return out;
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
