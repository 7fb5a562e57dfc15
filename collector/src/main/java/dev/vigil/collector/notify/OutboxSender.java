package dev.vigil.collector.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertsDatabase;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox rows. Outcomes are classified: 2xx delivered; 408, 429, 5xx and network errors
 * retried with exponential back-off and jitter (or after {@code Retry-After}); other 4xx mean the
 * receiver will never take this payload, so it is given up at once. A row is also given up when the
 * policy's age or attempt limit is reached; a give-up is recorded in the history, counted, and
 * reported to the give-up listener (which raises the collector's own alert). Each receiver endpoint
 * has its own circuit breaker and is sent to by one worker at a time, so a slow or dead receiver
 * never delays the others.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Set<Integer> RETRYABLE_4XX = Set.of(408, 425, 429);

    private final NotificationOutbox outbox;
    private final AlertsDatabase db;
    private final Map<String, ReceiverConfig> receivers;
    private final DeliveryPolicy policy;
    private final Transport transport;
    private final Clock clock;
    private final SelfMetrics metrics;
    private final Consumer<GiveUp> onGiveUp;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastPacedSend = new ConcurrentHashMap<>();
    private static final Duration SLACK_SPACING = Duration.ofSeconds(1);
    private final ExecutorService workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean running;
    private Thread loop;

    /** A notification the policy gave up on. */
    public record GiveUp(String receiver, String dedupKey, List<String> alertIds, String reason) {}

    OutboxSender(
            NotificationOutbox outbox,
            List<ReceiverConfig> receivers,
            DeliveryPolicy policy,
            Transport transport,
            Clock clock,
            SelfMetrics metrics,
            Consumer<GiveUp> onGiveUp) {
        this.outbox = requireNonNull(outbox, "outbox");
        this.db = outbox.database();
        this.receivers = new HashMap<>();
        for (ReceiverConfig r : receivers) {
            this.receivers.put(r.name(), r);
        }
        this.policy = requireNonNull(policy, "policy");
        this.transport = requireNonNull(transport, "transport");
        this.clock = requireNonNull(clock, "clock");
        this.metrics = requireNonNull(metrics, "metrics");
        this.onGiveUp = requireNonNull(onGiveUp, "onGiveUp");
        this.workers = Executors.newFixedThreadPool(Math.max(2, Math.min(8, receivers.size() + 1)), r -> {
            Thread t = new Thread(r, "vigil-outbox-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public static OutboxSender create(
            NotificationOutbox outbox,
            List<ReceiverConfig> receivers,
            DeliveryPolicy policy,
            Clock clock,
            SelfMetrics metrics,
            Consumer<GiveUp> onGiveUp) {
        return new OutboxSender(outbox, receivers, policy, new HttpTransport(), clock, metrics, onGiveUp);
    }

    /** Starts the background loop that sends due rows (polling at least every second). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = new Thread(this::loop, "vigil-outbox-sender");
        loop.setDaemon(true);
        loop.start();
    }

    /** Asks the loop to look for due rows now (after an enqueue). */
    public void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        Instant lastPurge = Instant.MIN;
        while (running) {
            try {
                sendDue(false);
                Instant now = clock.instant();
                if (Duration.between(lastPurge, now).toMinutes() >= 10) {
                    outbox.purge(now.minus(policy.keepSent()));
                    lastPurge = now;
                }
                metrics.pending(outbox.count(NotificationOutbox.PENDING));
            } catch (SQLException | RuntimeException e) {
                LOG.error("outbox sender round failed; retrying in a second: " + e, e);
            }
            lock.lock();
            try {
                wake.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One round: hands each endpoint's due rows to a worker (or, with {@code inline}, sends them on
     * the calling thread; tests use that with a fake clock).
     */
    void sendDue(boolean inline) throws SQLException {
        Instant now = clock.instant();
        Map<String, List<NotificationOutbox.Row>> byEndpoint = new LinkedHashMap<>();
        for (NotificationOutbox.Row row : outbox.due(now, 500)) {
            byEndpoint
                    .computeIfAbsent(row.receiver() + " " + row.url(), k -> new ArrayList<>())
                    .add(row);
        }
        for (Map.Entry<String, List<NotificationOutbox.Row>> e : byEndpoint.entrySet()) {
            String endpoint = e.getKey();
            ReceiverConfig receiver = receivers.get(e.getValue().get(0).receiver());
            boolean paced = receiver != null && receiver.type() == ReceiverConfig.Type.SLACK;
            Instant last = lastPacedSend.get(endpoint);
            if (paced && last != null && Duration.between(last, now).compareTo(SLACK_SPACING) < 0) {
                continue; // Slack takes about one message per second per hook
            }
            if (!busy.add(endpoint)) {
                continue;
            }
            List<NotificationOutbox.Row> batch = paced ? e.getValue().subList(0, 1) : e.getValue();
            if (paced) {
                lastPacedSend.put(endpoint, now);
            }
            Runnable work = () -> {
                try {
                    for (NotificationOutbox.Row row : batch) {
                        if (!running && !inline) {
                            return;
                        }
                        if (!attempt(endpoint, row)) {
                            break;
                        }
                    }
                } catch (SQLException | RuntimeException ex) {
                    LOG.error("delivery to " + endpoint + " failed unexpectedly: " + ex, ex);
                } finally {
                    busy.remove(endpoint);
                }
            };
            if (inline) {
                work.run();
            } else {
                workers.execute(work);
            }
        }
    }

    /** Attempts one row; false when the endpoint should not be tried again this round. */
    private boolean attempt(String endpoint, NotificationOutbox.Row row) throws SQLException {
        CircuitBreaker breaker = breakers.computeIfAbsent(
                endpoint, k -> new CircuitBreaker(policy.breakerFailures(), policy.breakerOpenFor()));
        Instant now = clock.instant();
        if (expired(row, now)) {
            giveUp(
                    row,
                    row.attempts(),
                    row.lastStatus(),
                    "gave up after " + row.attempts() + " attempts over "
                            + Duration.between(row.createdAt(), now).toSeconds() + "s: "
                            + (row.lastError() == null ? "no attempt succeeded" : row.lastError()));
            return true;
        }
        if (!breaker.allow(now)) {
            outbox.postpone(row.seq(), breaker.openUntil());
            return false;
        }
        ReceiverConfig receiver = receivers.get(row.receiver());
        Duration timeout = receiver == null ? Duration.ofSeconds(10) : receiver.timeout();
        int attempts = row.attempts() + 1;
        Transport.Response response;
        try {
            response = transport.post(row.url(), row.headers(), row.body(), timeout);
        } catch (HttpTimeoutException e) {
            return failed(breaker, row, attempts, null, "timed out after " + timeout.toMillis() + "ms", null);
        } catch (IOException e) {
            return failed(breaker, row, attempts, null, "network error: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            breaker.onSuccess();
            metrics.attempt(row.receiver(), true);
            db.inTransaction(c -> {
                for (String id : row.alertIds()) {
                    AlertHistory.appendById(
                            c,
                            clock.instant(),
                            id,
                            "delivered",
                            row.receiver() + " answered " + status + " (" + row.dedupKey() + ")");
                }
                return null;
            });
            outbox.markSent(row.seq(), attempts, status, clock.instant());
            return true;
        }
        String error = "HTTP " + status + (response.body().isBlank() ? "" : ": " + abbreviate(response.body()));
        if (status >= 400 && status < 500 && !RETRYABLE_4XX.contains(status)) {
            // The receiver understood and refused this payload; sending it again cannot help.
            metrics.attempt(row.receiver(), false);
            breaker.onSuccess(); // the receiver is up: a bad payload must not block the others
            giveUp(row, attempts, status, "rejected by the receiver: " + error);
            return true;
        }
        return failed(breaker, row, attempts, status, error, response.retryAfter());
    }

    private boolean failed(
            CircuitBreaker breaker,
            NotificationOutbox.Row row,
            int attempts,
            Integer status,
            String error,
            String retryAfter)
            throws SQLException {
        Instant now = clock.instant();
        breaker.onFailure(now);
        metrics.attempt(row.receiver(), false);
        if (policy.maxAttempts() > 0 && attempts >= policy.maxAttempts()) {
            giveUp(row, attempts, status, "gave up after " + attempts + " attempts: " + error);
            return false;
        }
        Duration wait = backoff(attempts);
        Duration hinted = retryAfter(retryAfter, now);
        if (hinted != null) {
            wait = hinted;
        }
        outbox.markRetry(row.seq(), attempts, status, error, now.plus(wait));
        LOG.debug("delivery to " + row.receiver() + " failed (" + error + "); retry in " + wait);
        return false;
    }

    private boolean expired(NotificationOutbox.Row row, Instant now) {
        return !policy.giveUpAfter().isZero()
                && Duration.between(row.createdAt(), now).compareTo(policy.giveUpAfter()) >= 0;
    }

    private void giveUp(NotificationOutbox.Row row, int attempts, Integer status, String reason) throws SQLException {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            for (String id : row.alertIds()) {
                AlertHistory.appendById(c, now, id, "delivery_failed", row.receiver() + ": " + reason);
            }
            return null;
        });
        outbox.markFailed(row.seq(), attempts, status, reason, now);
        metrics.gaveUp(row.receiver());
        LOG.warn("notification " + row.dedupKey() + " to " + row.receiver() + " given up: " + reason);
        try {
            onGiveUp.accept(new GiveUp(row.receiver(), row.dedupKey(), row.alertIds(), reason));
        } catch (RuntimeException e) {
            LOG.error("give-up listener failed: " + e, e);
        }
    }

    /** Exponential: initial × 2^(n−1), capped, with "equal jitter" (half fixed, half random). */
    Duration backoff(int attempts) {
        long initial = policy.initialBackoff().toMillis();
        long cap = policy.maxBackoff().toMillis();
        long exp = attempts >= 31 ? cap : Math.min(cap, initial * (1L << Math.max(0, attempts - 1)));
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Retry-After as seconds or an HTTP date; null if absent or unreadable. Capped at one hour. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(
                        now,
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    CircuitBreaker.State breakerState(String receiver, String url) {
        CircuitBreaker b = breakers.get(receiver + " " + url);
        return b == null ? CircuitBreaker.State.CLOSED : b.state();
    }

    @Override
    public void close() {
        running = false;
        wakeUp();
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
