package dev.vigil.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxSenderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private AlertsDatabase db;
    private NotificationOutbox outbox;
    private final SelfMetrics metrics = SelfMetrics.standalone();
    private final List<OutboxSender.GiveUp> giveUps = new ArrayList<>();
    private final ScriptedTransport transport = new ScriptedTransport();

    /** Answers from a script; an exception entry is thrown. */
    static final class ScriptedTransport implements Transport {
        final Deque<Object> script = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public Response post(String url, Map<String, String> headers, byte[] body, Duration timeout)
                throws IOException {
            calls.add(url);
            Object next = script.isEmpty() ? new Response(200, null, "") : script.poll();
            if (next instanceof IOException e) {
                throw e;
            }
            return (Response) next;
        }
    }

    @BeforeEach
    void open() throws Exception {
        db = AlertsDatabase.open(dir.resolve("state.db"));
        outbox = new NotificationOutbox(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private OutboxSender sender(DeliveryPolicy policy) {
        ReceiverConfig r = new ReceiverConfig(
                "hook", ReceiverConfig.Type.WEBHOOK, List.of("http://hook"), Map.of(), null, Duration.ofSeconds(1));
        return new OutboxSender(outbox, List.of(r), policy, transport, clock, metrics, giveUps::add);
    }

    private static DeliveryPolicy policy(int maxAttempts, Duration giveUpAfter) {
        return new DeliveryPolicy(
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                giveUpAfter,
                maxAttempts,
                3,
                Duration.ofSeconds(30),
                Duration.ofDays(1));
    }

    private void enqueue(String key) throws Exception {
        outbox.enqueue(
                new OutboxMessage(
                        key,
                        "hook",
                        "http://hook",
                        Map.of("Content-Type", "application/json"),
                        "{}".getBytes(),
                        List.of("a1")),
                clock.instant());
    }

    @Test
    void enqueueIsIdempotentByDedupKey() throws Exception {
        enqueue("k1");
        enqueue("k1");
        assertThat(outbox.count(NotificationOutbox.PENDING)).isEqualTo(1);
    }

    @Test
    void retriesWithGrowingBackoffUntilDelivered() throws Exception {
        OutboxSender s = sender(policy(0, Duration.ofHours(1)));
        enqueue("k1");
        transport.script.add(new ConnectException("refused"));
        transport.script.add(new Transport.Response(503, null, "down"));
        s.sendDue(true);
        NotificationOutbox.Row row = outbox.byDedupKey("k1");
        assertThat(row.status()).isEqualTo(NotificationOutbox.PENDING);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.lastError()).contains("refused");
        Duration first = Duration.between(clock.instant(), row.nextAttemptAt());
        assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        s.sendDue(true); // not due yet
        assertThat(transport.calls).hasSize(1);
        clock.set(row.nextAttemptAt());
        s.sendDue(true);
        row = outbox.byDedupKey("k1");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.lastStatus()).isEqualTo(503);
        assertThat(Duration.between(clock.instant(), row.nextAttemptAt()))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        clock.set(row.nextAttemptAt());
        s.sendDue(true);
        row = outbox.byDedupKey("k1");
        assertThat(row.status()).isEqualTo(NotificationOutbox.SENT);
        assertThat(row.attempts()).isEqualTo(3);
        assertThat(transport.calls).hasSize(3);
        assertThat(metrics.attempts("hook", "failure")).isEqualTo(2);
        assertThat(metrics.attempts("hook", "success")).isEqualTo(1);
        assertThat(new AlertHistory(db).query(new AlertHistory.Filter("a1", null, "delivered", null, null, 10)))
                .hasSize(1);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        OutboxSender s = sender(policy(0, Duration.ofHours(1)));
        enqueue("k1");
        transport.script.add(new Transport.Response(429, "120", "slow down"));
        s.sendDue(true);
        assertThat(outbox.byDedupKey("k1").nextAttemptAt())
                .isEqualTo(clock.instant().plusSeconds(120));
        assertThat(OutboxSender.retryAfter("Thu, 01 Jan 2026 00:01:00 GMT", clock.instant()))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(OutboxSender.retryAfter("soon", clock.instant())).isNull();
    }

    @Test
    void givesUpAtOnceOnARejectedPayload() throws Exception {
        OutboxSender s = sender(policy(0, Duration.ofHours(1)));
        enqueue("k1");
        transport.script.add(new Transport.Response(400, null, "bad json"));
        s.sendDue(true);
        NotificationOutbox.Row row = outbox.byDedupKey("k1");
        assertThat(row.status()).isEqualTo(NotificationOutbox.FAILED);
        assertThat(row.lastError()).contains("rejected by the receiver: HTTP 400: bad json");
        assertThat(giveUps)
                .singleElement()
                .extracting(OutboxSender.GiveUp::receiver)
                .isEqualTo("hook");
        assertThat(metrics.givenUp("hook")).isEqualTo(1);
        assertThat(new AlertHistory(db).query(new AlertHistory.Filter("a1", null, "delivery_failed", null, null, 10)))
                .hasSize(1);
    }

    @Test
    void givesUpByAttemptsAndByAge() throws Exception {
        OutboxSender byAttempts = sender(policy(2, Duration.ofHours(1)));
        enqueue("k1");
        transport.script.add(new Transport.Response(500, null, ""));
        transport.script.add(new Transport.Response(500, null, ""));
        byAttempts.sendDue(true);
        clock.advance(Duration.ofMinutes(1));
        byAttempts.sendDue(true);
        assertThat(outbox.byDedupKey("k1").status()).isEqualTo(NotificationOutbox.FAILED);

        OutboxSender byAge = sender(policy(0, Duration.ofMinutes(10)));
        enqueue("k2");
        transport.script.add(new Transport.Response(500, null, ""));
        byAge.sendDue(true);
        clock.advance(Duration.ofMinutes(11));
        int calls = transport.calls.size();
        byAge.sendDue(true);
        assertThat(transport.calls).hasSize(calls); // expired rows are not attempted again
        assertThat(outbox.byDedupKey("k2").status()).isEqualTo(NotificationOutbox.FAILED);
        assertThat(giveUps).hasSize(2);
    }

    @Test
    void circuitBreakerOpensAfterConsecutiveFailuresThenTriesOnce() throws Exception {
        OutboxSender s = sender(policy(0, Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            transport.script.add(new ConnectException("refused"));
        }
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                clock.advance(Duration.ofMinutes(2));
            }
            enqueue("k" + i);
            s.sendDue(true);
        }
        assertThat(s.breakerState("hook", "http://hook")).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = transport.calls.size();
        enqueue("k9");
        s.sendDue(true);
        assertThat(transport.calls).hasSize(calls); // open: nothing attempted, rows postponed
        clock.advance(Duration.ofSeconds(31));
        s.sendDue(true); // half-open trial succeeds, the rest follow
        assertThat(s.breakerState("hook", "http://hook")).isEqualTo(CircuitBreaker.State.CLOSED);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(2));
            s.sendDue(true);
        }
        assertThat(outbox.count(NotificationOutbox.PENDING)).isZero();
        assertThat(outbox.count(NotificationOutbox.SENT)).isEqualTo(4);
    }

    @Test
    void slackGetsAboutOneMessagePerSecond() throws Exception {
        ReceiverConfig slack = new ReceiverConfig(
                "slack", ReceiverConfig.Type.SLACK, List.of("http://slack"), Map.of(), null, Duration.ofSeconds(1));
        OutboxSender s = new OutboxSender(
                outbox, List.of(slack), policy(0, Duration.ofHours(1)), transport, clock, metrics, giveUps::add);
        for (int i = 0; i < 3; i++) {
            outbox.enqueue(
                    new OutboxMessage("s" + i, "slack", "http://slack", Map.of(), "{}".getBytes(), List.of("a")),
                    clock.instant());
        }
        s.sendDue(true);
        assertThat(transport.calls).hasSize(1);
        clock.advance(Duration.ofMillis(500));
        s.sendDue(true);
        assertThat(transport.calls).hasSize(1);
        clock.advance(Duration.ofMillis(600));
        s.sendDue(true);
        assertThat(transport.calls).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        s.sendDue(true);
        assertThat(outbox.count(NotificationOutbox.SENT)).isEqualTo(3);
    }

    @Test
    void backoffIsCappedWithJitter() {
        OutboxSender s = sender(policy(0, Duration.ofHours(1)));
        for (int i = 1; i < 40; i++) {
            Duration d = s.backoff(i);
            assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(1)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
        assertThat(s.backoff(30)).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }
}
