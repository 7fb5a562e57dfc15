package dev.vigil.collector.rules;

import java.time.Instant;

/**
 * Occurrences in a time range estimated from counts kept per minute (error groups store theirs so).
 * A minute the range covers in part counts in proportion to the part covered; the current minute,
 * of which only the part up to now has been seen, counts in proportion to that part. Summing whole
 * minutes instead made a one-minute window ending now hold only the seconds elapsed in the current
 * minute: a steady error rate read as near zero after each minute boundary, and spike alerts fired
 * and resolved every minute.
 */
final class MinuteBuckets {
    static final long MINUTE_MILLIS = 60_000;

    /** Occurrences in whole minutes {@code [fromMinute, toMinute)}, minutes counted from the epoch. */
    @FunctionalInterface
    interface Counts {
        long between(long fromMinute, long toMinute);
    }

    private MinuteBuckets() {}

    /** Estimated occurrences in {@code [from, to)}; the part of the range after {@code now} counts nothing. */
    static double estimate(Counts counts, Instant from, Instant to, Instant now) {
        long a = from.toEpochMilli();
        long b = Math.min(to.toEpochMilli(), now.toEpochMilli());
        if (b <= a) {
            return 0;
        }
        long nowMillis = now.toEpochMilli();
        long first = Math.floorDiv(a, MINUTE_MILLIS);
        long last = Math.floorDiv(b - 1, MINUTE_MILLIS);
        if (first == last) {
            return counts.between(first, first + 1) * share(first, a, b, nowMillis);
        }
        double total = counts.between(first, first + 1) * share(first, a, b, nowMillis);
        if (last > first + 1) {
            total += counts.between(first + 1, last);
        }
        return total + counts.between(last, last + 1) * share(last, a, b, nowMillis);
    }

    /** The share of minute {@code m}'s seen part (up to now) that lies in {@code [a, b)}. */
    private static double share(long m, long a, long b, long now) {
        long start = m * MINUTE_MILLIS;
        long seenEnd = Math.min(start + MINUTE_MILLIS, now);
        long overlap = Math.min(seenEnd, b) - Math.max(start, a);
        return overlap <= 0 ? 0 : overlap / (double) (seenEnd - start);
    }
}
