package dev.vigil.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinuteBucketsTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
    private static final long M = T.toEpochMilli() / MinuteBuckets.MINUTE_MILLIS;
    // 9:59 → 60, 10:00 → 30, 10:01 → 12 (the current minute in most cases below)
    private static final Map<Long, Long> PER_MINUTE = Map.of(M - 1, 60L, M, 30L, M + 1, 12L);
    private final List<String> queries = new ArrayList<>();

    private final MinuteBuckets.Counts counts = (from, to) -> {
        queries.add((from - M) + ".." + (to - M));
        long sum = 0;
        for (long m = from; m < to; m++) {
            sum += PER_MINUTE.getOrDefault(m, 0L);
        }
        return sum;
    };

    private static Instant at(int seconds) {
        return T.plusSeconds(seconds);
    }

    @Test
    void wholeMinutesCountWhole() {
        assertThat(MinuteBuckets.estimate(counts, at(-60), at(60), at(120))).isEqualTo(90.0);
    }

    @Test
    void minutesCoveredInPartCountInProportion() {
        // 9:59:30 to 10:00:15: half of 9:59, a quarter of 10:00.
        assertThat(MinuteBuckets.estimate(counts, at(-30), at(15), at(120))).isCloseTo(37.5, within(1e-9));
        // Within one minute: 10:00:20 to 10:00:40 is a third of it.
        assertThat(MinuteBuckets.estimate(counts, at(20), at(40), at(120))).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void currentMinuteCountsWhatWasSeenSoFarWhole() {
        // Now is 10:01:20: the 12 occurrences of 10:01 are all from its first 20 s.
        Instant now = at(80);
        assertThat(MinuteBuckets.estimate(counts, now.minusSeconds(60), now, now))
                .isCloseTo(30 * 40 / 60.0 + 12, within(1e-9));
        // Half of what was seen of the current minute: 10:01:10 to now.
        assertThat(MinuteBuckets.estimate(counts, at(70), now, now)).isCloseTo(6.0, within(1e-9));
    }

    @Test
    void steadyRateReadsTheSameAtEveryPhaseOfTheMinute() {
        MinuteBuckets.Counts steady = (from, to) -> 20 * (to - from);
        for (int s = 1; s < 60; s++) {
            Instant now = at(s);
            // the current minute holds 20·s/60 so far, as a steady rate would
            long seenOfCurrent = Math.round(20 * s / 60.0);
            MinuteBuckets.Counts seen =
                    (from, to) -> to > M ? steady.between(from, M) + seenOfCurrent : steady.between(from, to);
            assertThat(MinuteBuckets.estimate(seen, now.minusSeconds(60), now, now))
                    .as("at 10:00:%02d", s)
                    .isCloseTo(20.0, within(0.5));
        }
    }

    @Test
    void nothingIsCountedAfterNowOrInAnEmptyRange() {
        assertThat(MinuteBuckets.estimate(counts, at(200), at(300), at(100))).isZero();
        assertThat(MinuteBuckets.estimate(counts, at(10), at(10), at(100))).isZero();
        assertThat(queries).isEmpty();
    }

    @Test
    void asksForAtMostThreeRanges() {
        MinuteBuckets.estimate(counts, at(-30), at(150), at(200));
        assertThat(queries).containsExactly("-1..0", "0..2", "2..3");
    }
}
