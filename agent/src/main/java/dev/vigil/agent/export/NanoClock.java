package dev.vigil.agent.export;

/** Monotonic time for delivery decisions; tests replace it with a clock they move by hand. */
interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
