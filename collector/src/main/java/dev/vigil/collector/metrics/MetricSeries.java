package dev.vigil.collector.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The series of one metric by their labels, plus an inverted index (label name → value → series)
 * so that a rule selecting one service or route visits the few series it can match instead of
 * testing its matchers against every series of the metric.
 *
 * <p>Queries take no lock: the maps and sets are concurrent and a query sees a weakly consistent
 * view, as a scan of the series map always did. Changes to which series exist (a new series,
 * compaction removing one) hold {@code lock}, so an emptied posting set is never dropped while
 * another writer adds to it, and once a writer is done the postings hold exactly the series in
 * {@code byLabels}. New data points for known series take no lock here at all.
 */
final class MetricSeries {
    private final Map<Map<String, String>, Series> byLabels = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<Series>>> postings = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    // set once, under lock, when compaction unpublishes this (empty) metric; adds must then go to
    // the metric's new MetricSeries, or their series would be invisible and never compacted
    private volatile boolean retired;

    Series get(Map<String, String> labels) {
        return byLabels.get(labels);
    }

    /**
     * The series with {@code labels}, made by {@code create} and indexed if missing. Null when
     * {@code create} returns null (the series limit) or this metric was retired ({@link #retired()}
     * tells which; the caller then retries on the metric's new instance).
     */
    Series getOrAdd(Map<String, String> labels, Function<Map<String, String>, Series> create) {
        synchronized (lock) {
            if (retired) {
                return null;
            }
            Series s = byLabels.get(labels);
            if (s != null) {
                return s;
            }
            s = create.apply(labels);
            if (s != null) {
                index(s);
                byLabels.put(labels, s);
            }
            return s;
        }
    }

    boolean retired() {
        return retired;
    }

    /** Removes {@code s} and its postings; false if it was not (or no longer) held. */
    boolean remove(Series s) {
        synchronized (lock) {
            if (!byLabels.remove(s.labels, s)) {
                return false;
            }
            for (Map.Entry<String, String> label : s.labels.entrySet()) {
                Map<String, Set<Series>> values = postings.get(label.getKey());
                Set<Series> set = values.get(label.getValue());
                set.remove(s);
                if (set.isEmpty()) {
                    values.remove(label.getValue());
                    if (values.isEmpty()) {
                        postings.remove(label.getKey());
                    }
                }
            }
            return true;
        }
    }

    /**
     * If no series is left, marks this metric retired and runs {@code unpublish} (which removes it
     * from the metric map) while still holding the lock, so no add can slip in between.
     */
    void retireIfEmpty(Runnable unpublish) {
        synchronized (lock) {
            if (byLabels.isEmpty()) {
                retired = true;
                unpublish.run();
            }
        }
    }

    Collection<Series> all() {
        return byLabels.values();
    }

    /**
     * Calls {@code visitor} with every series whose labels satisfy all {@code matchers}: the same
     * series a test of every series would find. Equality matchers with a non-empty value drive the
     * search through their postings, smallest set first; every other matcher ({@code !=},
     * {@code =~}, {@code !~}, and {@code =""}, which also selects series without the label, so no
     * posting holds them all) is tested on those candidates only. Without such a matcher it scans.
     */
    void forEachMatching(List<LabelMatcher> matchers, Consumer<Series> visitor) {
        Set<Series> smallest = null;
        LabelMatcher driver = null;
        for (LabelMatcher m : matchers) {
            if (m.op() != LabelMatcher.Op.EQUAL || m.value().isEmpty()) {
                continue;
            }
            Set<Series> candidates = postings(m.name(), m.value());
            if (candidates == null) {
                return; // no series has this value, so none can match every matcher
            }
            if (smallest == null || candidates.size() < smallest.size()) {
                smallest = candidates;
                driver = m;
            }
        }
        for (Series s : smallest != null ? smallest : byLabels.values()) {
            if (matchesAllBut(driver, matchers, s.labels)) {
                visitor.accept(s);
            }
        }
    }

    /** The series with label {@code name} = {@code value}, or null if none. */
    Set<Series> postings(String name, String value) {
        Map<String, Set<Series>> values = postings.get(name);
        return values == null ? null : values.get(value);
    }

    /** How many (label, series) entries the index holds: for tests that check nothing is left over. */
    int postingCount() {
        int n = 0;
        for (Map<String, Set<Series>> values : postings.values()) {
            for (Set<Series> set : values.values()) {
                n += set.size();
            }
        }
        return n;
    }

    private void index(Series s) {
        for (Map.Entry<String, String> label : s.labels.entrySet()) {
            postings.computeIfAbsent(label.getKey(), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(label.getValue(), v -> ConcurrentHashMap.newKeySet())
                    .add(s);
        }
    }

    /** Every matcher but {@code skip} (already satisfied: the candidates come from its postings). */
    private static boolean matchesAllBut(LabelMatcher skip, List<LabelMatcher> matchers, Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (m != skip && !m.test(labels)) {
                return false;
            }
        }
        return true;
    }
}
