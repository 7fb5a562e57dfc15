package dev.vigil.collector.notify;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification path's own counters: delivery attempts by receiver and outcome, give-ups, and
 * the outbox backlog. {@link SelfMetricsInputs} turns them into series the shipped
 * NotificationReceiverFailing and NotificationOutboxBacklog rules read, and {@link #prometheusText()}
 * into lines for the collector's {@code /metrics}.
 */
public final class SelfMetrics {
    private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> givenUp = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();

    void attempt(String receiver, boolean success) {
        attempts.computeIfAbsent(receiver + "\u0000" + (success ? "success" : "failure"), k -> new AtomicLong())
                .incrementAndGet();
    }

    void gaveUp(String receiver) {
        givenUp.computeIfAbsent(receiver, k -> new AtomicLong()).incrementAndGet();
    }

    void pending(long count) {
        pending.set(count);
    }

    public void reloadFailed() {
        reloadFailures.incrementAndGet();
    }

    /** Attempts by (receiver, outcome). */
    Map<String[], Long> attempts() {
        Map<String[], Long> out = new java.util.LinkedHashMap<>();
        new TreeMap<>(attempts).forEach((k, v) -> out.put(k.split("\u0000", 2), v.get()));
        return out;
    }

    public long attempts(String receiver, String outcome) {
        AtomicLong v = attempts.get(receiver + "\u0000" + outcome);
        return v == null ? 0 : v.get();
    }

    public long givenUp(String receiver) {
        AtomicLong v = givenUp.get(receiver);
        return v == null ? 0 : v.get();
    }

    public long pending() {
        return pending.get();
    }

    /** Prometheus text (0.0.4) for the collector's {@code /metrics}. */
    public String prometheusText() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP vigil_collector_notifications_attempts_total Delivery attempts by receiver and outcome.\n");
        b.append("# TYPE vigil_collector_notifications_attempts_total counter\n");
        attempts().forEach((k, v) -> b.append("vigil_collector_notifications_attempts_total{receiver=\"")
                .append(escape(k[0])).append("\",outcome=\"").append(k[1]).append("\"} ").append(v).append('\n'));
        b.append("# HELP vigil_collector_notifications_given_up_total Notifications given up by the delivery policy.\n");
        b.append("# TYPE vigil_collector_notifications_given_up_total counter\n");
        new TreeMap<>(givenUp).forEach((k, v) -> b.append("vigil_collector_notifications_given_up_total{receiver=\"")
                .append(escape(k)).append("\"} ").append(v.get()).append('\n'));
        b.append("# HELP vigil_collector_outbox_pending Notifications waiting in the outbox.\n");
        b.append("# TYPE vigil_collector_outbox_pending gauge\n");
        b.append("vigil_collector_outbox_pending ").append(pending.get()).append('\n');
        b.append("# HELP vigil_collector_rules_reload_failures_total Rule reloads rejected as invalid.\n");
        b.append("# TYPE vigil_collector_rules_reload_failures_total counter\n");
        b.append("vigil_collector_rules_reload_failures_total ").append(reloadFailures.get()).append('\n');
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
