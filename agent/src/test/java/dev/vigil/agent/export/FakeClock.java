package dev.vigil.agent.export;

import java.util.concurrent.TimeUnit;

/** A clock the test moves by hand. */
final class FakeClock implements NanoClock {
    private long now = TimeUnit.HOURS.toNanos(1);

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }

    void advanceSeconds(double seconds) {
        now += (long) (seconds * 1e9);
    }
}
