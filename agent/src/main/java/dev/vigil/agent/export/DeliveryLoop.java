package dev.vigil.agent.export;

import dev.vigil.agent.export.Backlog.Pending;
import dev.vigil.agent.log.AgentLog;
import java.util.concurrent.TimeUnit;

/**
 * What the delivery thread does, one step at a time, so that tests can drive it with a fake clock
 * and a fake transport. Each {@link #step()} sends at most one request and returns how long to wait
 * before the next step.
 *
 * <p>Outcomes, as classified by {@link SendResult}: success leaves the backlog; a permanent failure
 * (400 and other non-retryable statuses) is never retried: the items are counted as lost and the
 * reason logged once; a retryable failure (429, 502, 503, 504, network) is retried after the longer of
 * the back-off and the server's Retry-After (capped), until the {@link CircuitBreaker} opens. Then the
 * memory queue moves to disk and nothing is sent until the breaker lets a probe through.
 */
final class DeliveryLoop {
    /** Returned by {@link #step()} when there is nothing to do until new data arrives. */
    static final long IDLE = Long.MAX_VALUE;

    private static final AgentLog LOG = AgentLog.get(DeliveryLoop.class);

    private final Backlog backlog;
    private final OtlpTransport transport;
    private final CircuitBreaker breaker;
    private final Backoff backoff;
    private final NanoClock clock;
    private final ExportStats stats;
    private final DeliveryCounters counters;
    private final long retryAfterCapNanos;
    private final long maxElapsedNanos;

    private Pending current;
    private long notBefore;
    private long firstFailureAt;
    private boolean failing;

    DeliveryLoop(
            Backlog backlog,
            OtlpTransport transport,
            CircuitBreaker breaker,
            Backoff backoff,
            NanoClock clock,
            ExportStats stats,
            DeliveryCounters counters,
            long retryAfterCapNanos,
            long maxElapsedNanos) {
        this.backlog = backlog;
        this.transport = transport;
        this.breaker = breaker;
        this.backoff = backoff;
        this.clock = clock;
        this.stats = stats;
        this.counters = counters;
        this.retryAfterCapNanos = retryAfterCapNanos;
        this.maxElapsedNanos = maxElapsedNanos;
    }

    /** Sends at most one request; returns the nanoseconds to wait before the next step, or {@link #IDLE}. */
    long step() {
        long now = clock.nanoTime();
        if (!breaker.allowsAttempt(now)) {
            backlog.spillAll(); // anything that reached memory meanwhile (the disk was busy or full)
            return Math.max(1, breaker.probeAt() - now);
        }
        if (current == null) {
            current = backlog.next();
            if (current == null) {
                return IDLE;
            }
            failing = false;
            notBefore = now;
        }
        if (now - notBefore < 0) {
            return notBefore - now;
        }
        CircuitBreaker.State before = breaker.state();
        SendResult result = transport.send(current.signal, current.body);
        now = clock.nanoTime();
        switch (result.kind()) {
            case SUCCESS:
                delivered(before);
                return 0;
            case PERMANENT:
                rejected(result);
                return 0;
            default:
                return retryLater(result, now, before);
        }
    }

    private void delivered(CircuitBreaker.State before) {
        Pending p = current;
        current = null;
        backlog.done(p);
        stats.sent(p.signal, p.items);
        if (p.fromDisk) {
            counters.replayed(p.signal, p.items);
        }
        backoff.reset();
        breaker.onSuccess();
        if (before == CircuitBreaker.State.HALF_OPEN) {
            LOG.info("the collector at " + transport.endpoint() + " takes data again; sending the "
                    + (backlog.diskRequests() + backlog.memoryRequests())
                    + " buffered requests, oldest first, alternating with new data");
        }
    }

    private void rejected(SendResult result) {
        Pending p = current;
        current = null;
        backlog.done(p);
        stats.failure(p.signal, result.reasonLabel());
        stats.lost(p.signal, p.items);
        backoff.reset();
        breaker.onSuccess(); // it answered: the collector is up, this request is what it refuses
        LOG.warnOnce(
                "export-rejected:" + p.signal + ":" + result.reasonLabel(),
                "the collector at " + transport.endpoint() + " rejected " + p.items + " " + p.signal.label() + " ("
                        + result.reason() + "); such a request is never retried, its items are counted in"
                        + " vigil_agent_export_lost_total",
                null);
    }

    private long retryLater(SendResult result, long now, CircuitBreaker.State before) {
        stats.failure(current.signal, result.reasonLabel());
        if (!failing) {
            failing = true;
            firstFailureAt = now;
        }
        long retryAfter = result.retryAfterMillis() < 0
                ? 0
                : Math.min(retryAfterCapNanos, TimeUnit.MILLISECONDS.toNanos(result.retryAfterMillis()));
        boolean tooOld = now - firstFailureAt >= maxElapsedNanos;
        if (breaker.onFailure(now, tooOld, retryAfter)) {
            backlog.release(current);
            current = null;
            backlog.spillAll();
            long wait = Math.max(1, breaker.probeAt() - now);
            if (before == CircuitBreaker.State.CLOSED) {
                LOG.warn("cannot deliver to the collector at " + transport.endpoint() + " (" + result.reason()
                        + "); pausing for " + TimeUnit.NANOSECONDS.toSeconds(wait) + "s, then probing. Meanwhile data "
                        + (backlog.diskAvailable()
                                ? "is buffered in " + backlog.disk().directory()
                                : "is kept in memory only (no usable disk buffer)"));
            } else {
                LOG.debug("probe failed (" + result.reason() + "); next probe in " + TimeUnit.NANOSECONDS.toMillis(wait)
                        + " ms");
            }
            return wait;
        }
        long delay = Math.max(backoff.nextDelayNanos(), retryAfter);
        notBefore = now + delay;
        LOG.debug("export of " + current.items + " " + current.signal.label() + " failed (" + result.reason()
                + "); retrying in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms");
        return delay;
    }

    /** Whether a request is being sent or waits for its next attempt. */
    boolean hasCurrent() {
        return current != null;
    }
}
