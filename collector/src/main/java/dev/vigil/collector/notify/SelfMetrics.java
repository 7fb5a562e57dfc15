package dev.vigil.collector.notify;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alerting path's own meters, in the collector's registry. The collector feeds that registry
 * into its metric windows as service {@code vigil-collector}, which is what the shipped
 * NotificationReceiverFailing ({@code vigil.collector.notifications.attempts}) and
 * NotificationOutboxBacklog ({@code vigil.collector.outbox.pending}) rules watch.
 */
public final class SelfMetrics {
    static final String ATTEMPTS = "vigil.collector.notifications.attempts";
    static final String GIVEN_UP = "vigil.collector.notifications.given_up";
    static final String PENDING = "vigil.collector.outbox.pending";
    static final String RELOAD_FAILURES = "vigil.collector.rules.reload.failures";

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();
    private final Counter reloadFailures;

    public SelfMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
        Gauge.builder(PENDING, pending, AtomicLong::get)
                .description("Notifications waiting in the outbox")
                .register(registry);
        reloadFailures = Counter.builder(RELOAD_FAILURES)
                .description("Rule reloads rejected as invalid (the previous rules stay)")
                .register(registry);
    }

    /** Meters in a private registry (tests). */
    public static SelfMetrics standalone() {
        return new SelfMetrics(new SimpleMeterRegistry());
    }

    /**
     * Registers every receiver's counters at zero, so that the first failure or give-up is an
     * increase the rules (and Prometheus) can see, not the first sample of a new series.
     */
    public void registerReceivers(Iterable<String> receivers) {
        for (String r : receivers) {
            attemptCounter(r, true);
            attemptCounter(r, false);
            givenUpCounter(r);
        }
    }

    private Counter attemptCounter(String receiver, boolean success) {
        return Counter.builder(ATTEMPTS)
                .description("Notification delivery attempts by receiver and outcome")
                .tag("receiver", receiver)
                .tag("outcome", success ? "success" : "failure")
                .register(registry);
    }

    private Counter givenUpCounter(String receiver) {
        return Counter.builder(GIVEN_UP)
                .description("Notifications given up by the delivery policy")
                .tag("receiver", receiver)
                .register(registry);
    }

    void attempt(String receiver, boolean success) {
        attemptCounter(receiver, success).increment();
    }

    void gaveUp(String receiver) {
        givenUpCounter(receiver).increment();
    }

    void pending(long count) {
        pending.set(count);
    }

    public void reloadFailed() {
        reloadFailures.increment();
    }

    public double attempts(String receiver, String outcome) {
        Counter c = registry.find(ATTEMPTS)
                .tag("receiver", receiver)
                .tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }

    public double givenUp(String receiver) {
        Counter c = registry.find(GIVEN_UP).tag("receiver", receiver).counter();
        return c == null ? 0 : c.count();
    }

    public long pending() {
        return pending.get();
    }

    public double reloadFailures() {
        return reloadFailures.count();
    }
}
