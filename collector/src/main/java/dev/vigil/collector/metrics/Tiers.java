package dev.vigil.collector.metrics;

import java.time.Duration;

/**
 * How precisely data of a given age is kept: 10 s slots for the last hour (5-minute windows stay
 * exact to 10 s), 1 min slots up to 6 h, 5 min slots beyond, up to the retention. A 3-day
 * retention then needs at most 360 + 300 + 792 slots per series, whatever the export interval.
 */
record Tiers(long retentionMillis) {
    static final long FINE = Duration.ofSeconds(10).toMillis();
    static final long MEDIUM = Duration.ofMinutes(1).toMillis();
    static final long COARSE = Duration.ofMinutes(5).toMillis();
    static final long FINE_AGE = Duration.ofHours(1).toMillis();
    static final long MEDIUM_AGE = Duration.ofHours(6).toMillis();

    long finest() {
        return FINE;
    }

    long resolutionForAge(long ageMillis) {
        if (ageMillis < FINE_AGE) {
            return FINE;
        }
        return ageMillis < MEDIUM_AGE ? MEDIUM : COARSE;
    }
}
