package dev.vigil.collector.metrics;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One metric with one label set: its slots, oldest first, and what is needed to turn cumulative
 * OTLP points into increases (the previous value and the series' start time).
 */
final class Series {
    final String metric;
    final Map<String, String> labels;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private double[] bounds;
    // cumulative state: the last point seen, to compute the increase to the next one
    private long cumulativeStart = Long.MIN_VALUE;
    private long cumulativeTime = Long.MIN_VALUE;
    private double previousValue;
    private long[] previousBuckets;
    private double previousSum;
    private volatile long lastUpdate;

    Series(String metric, Map<String, String> labels) {
        this.metric = metric;
        this.labels = labels;
    }

    long lastUpdate() {
        return lastUpdate;
    }

    /**
     * A counter point. Cumulative: the increase since the previous point; the first point counts
     * whole only when the series started after {@code listeningSince} (else its history is
     * unknown and it only sets the baseline); a lower value or another start time is a reset.
     */
    synchronized void addSum(
            long start, long time, double value, boolean cumulative, long listeningSince, Tiers tiers) {
        lastUpdate = Math.max(lastUpdate, time);
        double delta;
        if (!cumulative) {
            delta = value;
        } else if (cumulativeTime == Long.MIN_VALUE) {
            delta = start > 0 && start >= listeningSince ? value : 0;
            remember(start, time, value, null, 0);
        } else if (time <= cumulativeTime && start == cumulativeStart) {
            return; // an older or repeated point (a retry, a replayed backlog): already counted
        } else if (start != cumulativeStart || value < previousValue) {
            delta = value;
            remember(start, time, value, null, 0);
        } else {
            delta = value - previousValue;
            remember(start, time, value, null, 0);
        }
        if (delta != 0 || cumulative) {
            slotFor(time, tiers).increase += delta;
        }
    }

    synchronized void addGauge(long time, double value, Tiers tiers) {
        lastUpdate = Math.max(lastUpdate, time);
        slotFor(time, tiers).gauge(time, value);
    }

    /** A histogram point; same cumulative rules as {@link #addSum}, per bucket. */
    synchronized void addHistogram(
            long start,
            long time,
            boolean cumulative,
            long count,
            double sum,
            double[] pointBounds,
            long[] bucketCounts,
            double min,
            double max,
            long listeningSince,
            Tiers tiers) {
        lastUpdate = Math.max(lastUpdate, time);
        boolean hasBuckets =
                pointBounds != null && bucketCounts != null && bucketCounts.length == pointBounds.length + 1;
        if (hasBuckets && (bounds == null || !Arrays.equals(bounds, pointBounds))) {
            // new bucket layout: earlier buckets are not comparable, start over from this point
            bounds = pointBounds.clone();
            previousBuckets = null;
            cumulativeTime = Long.MIN_VALUE;
        }
        long deltaCount;
        double deltaSum;
        long[] deltaBuckets = null;
        if (!cumulative) {
            deltaCount = count;
            deltaSum = sum;
            deltaBuckets = hasBuckets ? bucketCounts.clone() : null;
        } else if (cumulativeTime == Long.MIN_VALUE) {
            boolean whole = start > 0 && start >= listeningSince;
            deltaCount = whole ? count : 0;
            deltaSum = whole ? sum : 0;
            deltaBuckets = hasBuckets ? (whole ? bucketCounts.clone() : new long[bucketCounts.length]) : null;
            remember(start, time, count, hasBuckets ? bucketCounts : null, sum);
        } else if (time <= cumulativeTime && start == cumulativeStart) {
            return;
        } else if (start != cumulativeStart || count < previousValue) {
            deltaCount = count;
            deltaSum = sum;
            deltaBuckets = hasBuckets ? bucketCounts.clone() : null;
            remember(start, time, count, hasBuckets ? bucketCounts : null, sum);
        } else {
            deltaCount = count - (long) previousValue;
            deltaSum = sum - previousSum;
            if (hasBuckets && previousBuckets != null) {
                deltaBuckets = new long[bucketCounts.length];
                for (int i = 0; i < bucketCounts.length; i++) {
                    deltaBuckets[i] = Math.max(0, bucketCounts[i] - previousBuckets[i]);
                }
            }
            remember(start, time, count, hasBuckets ? bucketCounts : null, sum);
        }
        Slot slot = slotFor(time, tiers);
        slot.increase += deltaCount;
        slot.sum += deltaSum;
        if (deltaBuckets != null) {
            slot.addBuckets(deltaBuckets);
        }
        if (deltaCount > 0 || !cumulative) {
            slot.observeExtreme(min);
            slot.observeExtreme(max);
        }
    }

    synchronized double[] bounds() {
        return bounds;
    }

    /** Calls {@code visitor} with each slot that starts in {@code (from, to]}. */
    synchronized void forEachSlot(long from, long to, Consumer<Slot> visitor) {
        Iterator<Slot> it = slots.descendingIterator();
        while (it.hasNext()) {
            Slot s = it.next();
            if (s.start <= from) {
                break;
            }
            if (s.start <= to) {
                visitor.accept(s);
            }
        }
    }

    /**
     * Drops slots older than the retention and merges the others into the resolution their age
     * calls for. Returns whether the series is now empty and idle (it can be removed).
     */
    synchronized boolean compact(long now, Tiers tiers) {
        ArrayDeque<Slot> kept = new ArrayDeque<>(slots.size());
        Slot open = null;
        for (Slot s : slots) {
            if (s.end() <= now - tiers.retentionMillis()) {
                continue;
            }
            long resolution = tiers.resolutionForAge(now - s.start);
            if (resolution <= s.resolution) {
                if (open != null && open.start <= s.start && s.start < open.end()) {
                    open.mergeFrom(s);
                } else {
                    kept.add(s);
                    open = null;
                }
                continue;
            }
            long start = Math.floorDiv(s.start, resolution) * resolution;
            if (open == null || open.start != start || open.resolution != resolution) {
                open = new Slot(start, resolution);
                kept.add(open);
            }
            open.mergeFrom(s);
        }
        slots.clear();
        slots.addAll(kept);
        return slots.isEmpty() && lastUpdate <= now - tiers.retentionMillis();
    }

    synchronized int slotCount() {
        return slots.size();
    }

    private void remember(long start, long time, double value, long[] buckets, double sum) {
        cumulativeStart = start;
        cumulativeTime = time;
        previousValue = value;
        previousBuckets = buckets == null ? null : buckets.clone();
        previousSum = sum;
    }

    /** The finest slot covering {@code time}, created in order if missing. */
    private Slot slotFor(long time, Tiers tiers) {
        long resolution = tiers.finest();
        long start = Math.floorDiv(time, resolution) * resolution;
        Slot last = slots.peekLast();
        if (last == null || last.start < start) {
            Slot s = new Slot(start, resolution);
            slots.addLast(s);
            return s;
        }
        if (last.start <= start && start < last.end()) {
            return last;
        }
        // an older point (replayed backlog): find its slot, or insert one in order
        ArrayDeque<Slot> rebuilt = new ArrayDeque<>(slots.size() + 1);
        Slot found = null;
        for (Slot s : slots) {
            if (found == null && s.start <= time && time < s.end()) {
                found = s;
            } else if (found == null && s.start > start) {
                found = new Slot(start, resolution);
                rebuilt.add(found);
            }
            rebuilt.add(s);
        }
        if (found == null) {
            found = new Slot(start, resolution);
            rebuilt.add(found);
        }
        slots.clear();
        slots.addAll(rebuilt);
        return found;
    }
}
