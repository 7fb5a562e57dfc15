package dev.vigil.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Target of the exception handler of every advice: a failure inside the agent's advice is
 * suppressed (the application never sees it), counted here, and handed to the agent for logging.
 */
public final class AdviceErrors {
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile Consumer<Throwable> reporter;

    private AdviceErrors() {}

    /** Called by generated code with the suppressed throwable; must never throw. */
    public static void record(Throwable error) {
        COUNT.incrementAndGet();
        Consumer<Throwable> r = reporter;
        if (r != null) {
            try {
                r.accept(error);
            } catch (Throwable ignored) {
                // the reporter itself failed: the count above is all we can keep
            }
        }
    }

    /** Suppressed advice failures since start-up; exported as vigil_agent_instrumentation_errors_total. */
    public static long count() {
        return COUNT.get();
    }

    public static void setReporter(Consumer<Throwable> consumer) {
        reporter = consumer;
    }
}
