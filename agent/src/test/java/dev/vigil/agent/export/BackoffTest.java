package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void withTheHighestDrawEachDelayIsThreeTimesThePreviousUntilTheCap() {
        Backoff backoff = new Backoff(SECOND, 30 * SECOND, () -> 1.0);
        assertThat(new long[] {
                    backoff.nextDelayNanos(),
                    backoff.nextDelayNanos(),
                    backoff.nextDelayNanos(),
                    backoff.nextDelayNanos(),
                    backoff.nextDelayNanos()
                })
                .containsExactly(3 * SECOND, 9 * SECOND, 27 * SECOND, 30 * SECOND, 30 * SECOND);
    }

    @Test
    void withTheLowestDrawEveryDelayIsTheInitialOne() {
        Backoff backoff = new Backoff(SECOND, 30 * SECOND, () -> 0.0);
        for (int i = 0; i < 10; i++) {
            assertThat(backoff.nextDelayNanos()).isEqualTo(SECOND);
        }
    }

    @Test
    void randomDelaysStayBetweenInitialAndThreeTimesThePreviousAndTheCap() {
        Random random = new Random(42);
        Backoff backoff = new Backoff(SECOND, 30 * SECOND, random::nextDouble);
        long previous = SECOND;
        long distinct = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = backoff.nextDelayNanos();
            assertThat(d).isBetween(SECOND, Math.min(30 * SECOND, 3 * previous));
            if (d != previous) {
                distinct++;
            }
            previous = d;
            if (i % 7 == 0) {
                backoff.reset();
                previous = SECOND;
            }
        }
        assertThat(distinct).as("jitter spreads the delays").isGreaterThan(9_000);
    }

    @Test
    void resetStartsAgainFromTheInitialRange() {
        Backoff backoff = new Backoff(SECOND, 30 * SECOND, () -> 1.0);
        backoff.nextDelayNanos();
        backoff.nextDelayNanos();
        backoff.reset();
        assertThat(backoff.nextDelayNanos()).isEqualTo(3 * SECOND);
    }

    @Test
    void outOfRangeRandomValuesAreClamped() {
        assertThat(new Backoff(SECOND, 2 * SECOND, () -> 7.0).nextDelayNanos()).isEqualTo(2 * SECOND);
        assertThat(new Backoff(SECOND, 2 * SECOND, () -> -1.0).nextDelayNanos()).isEqualTo(SECOND);
    }

    @Test
    void rejectsAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(2 * SECOND, SECOND, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial <= max");
    }
}
