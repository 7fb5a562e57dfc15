package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.export.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        CircuitBreaker breaker = new CircuitBreaker(3, 30 * SECOND, () -> 1.0);
        assertThat(breaker.onFailure(0, false, 0)).isFalse();
        assertThat(breaker.onFailure(1, false, 0)).isFalse();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.onFailure(2, false, 0)).isTrue();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.openedCount()).isEqualTo(1);
    }

    @Test
    void aSuccessResetsTheCount() {
        CircuitBreaker breaker = new CircuitBreaker(3, 30 * SECOND, () -> 1.0);
        breaker.onFailure(0, false, 0);
        breaker.onFailure(0, false, 0);
        breaker.onSuccess();
        assertThat(breaker.onFailure(0, false, 0)).isFalse();
        assertThat(breaker.onFailure(0, false, 0)).isFalse();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aRequestRetriedForTooLongOpensItAtOnce() {
        CircuitBreaker breaker = new CircuitBreaker(100, 30 * SECOND, () -> 1.0);
        assertThat(breaker.onFailure(0, true, 0)).isTrue();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void blocksDuringTheCoolDownThenLetsOneProbeThroughHalfOpen() {
        CircuitBreaker breaker = new CircuitBreaker(1, 30 * SECOND, () -> 1.0);
        breaker.onFailure(0, false, 0);
        assertThat(breaker.allowsAttempt(29 * SECOND)).isFalse();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.allowsAttempt(30 * SECOND)).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void aSuccessfulProbeClosesIt() {
        CircuitBreaker breaker = new CircuitBreaker(1, 30 * SECOND, () -> 1.0);
        breaker.onFailure(0, false, 0);
        breaker.allowsAttempt(30 * SECOND);
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.allowsAttempt(30 * SECOND)).isTrue();
    }

    @Test
    void aFailedProbeOpensItAgainForAnotherCoolDown() {
        CircuitBreaker breaker = new CircuitBreaker(5, 30 * SECOND, () -> 1.0);
        for (int i = 0; i < 5; i++) {
            breaker.onFailure(0, false, 0);
        }
        breaker.allowsAttempt(30 * SECOND);
        assertThat(breaker.onFailure(31 * SECOND, false, 0))
                .as("one failed probe is enough")
                .isTrue();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.probeAt()).isEqualTo(61 * SECOND);
        assertThat(breaker.openedCount()).isEqualTo(2);
    }

    @Test
    void coolDownIsJitteredBetweenHalfAndAllOfTheOpenDuration() {
        assertThat(openedAt(0.0).probeAt()).isEqualTo(15 * SECOND);
        assertThat(openedAt(0.5).probeAt()).isEqualTo(22_500_000_000L);
        assertThat(openedAt(1.0).probeAt()).isEqualTo(30 * SECOND);
    }

    @Test
    void retryAfterLongerThanTheCoolDownIsHonoured() {
        CircuitBreaker breaker = new CircuitBreaker(1, 30 * SECOND, () -> 0.0);
        breaker.onFailure(0, false, 45 * SECOND);
        assertThat(breaker.probeAt()).isEqualTo(45 * SECOND);
        assertThat(breaker.allowsAttempt(44 * SECOND)).isFalse();
    }

    private static CircuitBreaker openedAt(double random) {
        CircuitBreaker breaker = new CircuitBreaker(1, 30 * SECOND, () -> random);
        breaker.onFailure(0, false, 0);
        return breaker;
    }
}
