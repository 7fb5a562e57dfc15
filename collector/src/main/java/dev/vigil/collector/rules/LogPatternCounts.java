package dev.vigil.collector.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts log records that match the {@code log_pattern} rules, in one-minute buckets per rule and
 * {@code by} group. Fed from the ingest path, so it never blocks and stays bounded: at most
 * {@link #MAX_SERIES_PER_RULE} groups per rule (further groups are counted as dropped), and buckets
 * older than the rule's window are discarded.
 */
public final class LogPatternCounts {
    static final int MAX_SERIES_PER_RULE = 1000;
    private static final long BUCKET_MILLIS = 60_000;

    private volatile List<Tracked> tracked = List.of();
    private final AtomicLong droppedSeries = new AtomicLong();

    /** A log record as the rules see it; {@code attributes} include {@code service} and {@code instance}. */
    public record LogRecordView(Instant time, LogLevel level, String message, Labels attributes) {}

    private static final class Tracked {
        final AlertRule rule;
        final Condition.LogPattern pattern;
        final Map<Labels, Map<Long, AtomicLong>> buckets = new ConcurrentHashMap<>();

        Tracked(AlertRule rule, Condition.LogPattern pattern) {
            this.rule = rule;
            this.pattern = pattern;
        }
    }

    /** Follows a new rule set: counts of rules that kept their name and pattern survive a reload. */
    public synchronized void update(RuleSet rules) {
        List<Tracked> next = new ArrayList<>();
        for (AlertRule r : rules.rules()) {
            if (r.condition() instanceof Condition.LogPattern p) {
                Tracked t = new Tracked(r, p);
                for (Tracked old : tracked) {
                    if (old.rule.name().equals(r.name())
                            && old.pattern
                                    .pattern()
                                    .pattern()
                                    .equals(p.pattern().pattern())
                            && old.rule.by().equals(r.by())) {
                        t.buckets.putAll(old.buckets);
                    }
                }
                next.add(t);
            }
        }
        tracked = List.copyOf(next);
    }

    /** Called for every log record received. */
    public void accept(LogRecordView record) {
        List<Tracked> current = tracked;
        if (current.isEmpty()) {
            return;
        }
        long bucket = Math.floorDiv(record.time().toEpochMilli(), BUCKET_MILLIS);
        for (Tracked t : current) {
            if (record.level().compareTo(t.pattern.level()) < 0
                    || !LabelMatcher.matchesAll(t.rule.where(), record.attributes())
                    || record.message() == null
                    || !t.pattern.pattern().matcher(record.message()).find()) {
                continue;
            }
            Labels key = record.attributes().select(t.rule.by());
            Map<Long, AtomicLong> series = t.buckets.get(key);
            if (series == null) {
                if (t.buckets.size() >= MAX_SERIES_PER_RULE) {
                    droppedSeries.incrementAndGet();
                    continue;
                }
                series = t.buckets.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
            }
            series.computeIfAbsent(bucket, b -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Matches per {@code by} group in the window ending at {@code now}; prunes older buckets. */
    Map<Labels, Long> counts(String ruleName, Duration window, Instant now) {
        Map<Labels, Long> out = new HashMap<>();
        long nowBucket = Math.floorDiv(now.toEpochMilli(), BUCKET_MILLIS);
        long first = nowBucket - Math.max(1, window.toMillis() / BUCKET_MILLIS) + 1;
        for (Tracked t : tracked) {
            if (!t.rule.name().equals(ruleName)) {
                continue;
            }
            for (Map.Entry<Labels, Map<Long, AtomicLong>> e : t.buckets.entrySet()) {
                long sum = 0;
                e.getValue().keySet().removeIf(b -> b < first);
                for (Map.Entry<Long, AtomicLong> b : e.getValue().entrySet()) {
                    if (b.getKey() <= nowBucket) {
                        sum += b.getValue().get();
                    }
                }
                if (e.getValue().isEmpty()) {
                    t.buckets.remove(e.getKey());
                }
                if (sum > 0) {
                    out.put(e.getKey(), sum);
                }
            }
        }
        return out;
    }

    /** Groups not counted because a rule already had {@link #MAX_SERIES_PER_RULE}. */
    public long droppedSeries() {
        return droppedSeries.get();
    }
}
