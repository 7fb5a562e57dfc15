package dev.vigil.it.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits on a condition: the only way tests wait for other processes. */
public final class Wait {
    private Wait() {}

    /** Polls until the condition holds; fails with the message (and the last detail) when time runs out. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, condition, () -> "");
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError(
                        "timed out after " + timeout.toSeconds() + "s waiting for " + what + detailOf(detail));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static String detailOf(Supplier<String> detail) {
        try {
            String d = detail.get();
            return d == null || d.isEmpty() ? "" : "\n" + d;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
