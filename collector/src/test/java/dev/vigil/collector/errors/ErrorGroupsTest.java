package dev.vigil.collector.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.InAppPolicy;
import dev.vigil.collector.metrics.MutableClock;
import dev.vigil.collector.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorGroupsTest {
    static final String TRACE = """
            java.lang.IllegalStateException: order 42 not found
            \tat com.shop.OrderService.load(OrderService.java:10)
            \tat com.shop.OrderController.get(OrderController.java:20)
            \tat org.springframework.web.Dispatcher.dispatch(Dispatcher.java:1)
            """;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private Database db;
    private ErrorGroups groups;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("state.db"), ErrorGroups.MIGRATIONS);
        groups = build(10);
    }

    private ErrorGroups build(int maxGroups) {
        ErrorGroups g = ErrorGroups.builder(db)
                .clock(clock)
                .maxGroups(maxGroups)
                .newPeriod(Duration.ofHours(1))
                .build();
        g.addListener(new ErrorGroupListener() {
            @Override
            public void created(ErrorGroup group) {
                events.add("created " + group.type());
            }

            @Override
            public void regressed(ErrorGroup group) {
                events.add("regressed " + group.type());
            }
        });
        return g;
    }

    @AfterEach
    void close() {
        groups.close();
        db.close();
    }

    private ErrorOccurrence plain(String traceId) {
        return new ErrorOccurrence(
                "shop",
                clock.instant(),
                null,
                "java.lang.IllegalStateException",
                "order 42 not found",
                TRACE,
                null,
                null,
                traceId,
                null,
                false);
    }

    private void record(ErrorOccurrence... o) throws Exception {
        groups.record(List.of(o)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void plainOpenTelemetryExceptionsGetTheAgentsFingerprint() throws Exception {
        record(plain("t1"), plain("t2"));

        String expected = ErrorFingerprint.ofStackTrace(TRACE, InAppPolicy.inferred());
        ErrorGroup g = groups.find("shop", expected).orElseThrow();
        assertThat(g.count()).isEqualTo(2);
        assertThat(g.lastHourCount()).isEqualTo(2);
        assertThat(g.status()).isEqualTo(ErrorStatus.NEW);
        assertThat(g.traceIds()).containsExactly("t2", "t1");
        assertThat(g.stackTrace()).isEqualTo(TRACE);
        assertThat(g.id()).isEqualTo(ErrorGroups.groupId("shop", expected));
        assertThat(events).containsExactly("created java.lang.IllegalStateException");
    }

    @Test
    void vigilAttributesAreKeptAndTheSendersFingerprintWins() throws Exception {
        record(new ErrorOccurrence(
                "shop",
                clock.instant(),
                "abc123",
                "java.sql.SQLTransientConnectionException",
                "timeout",
                null,
                "dependency_unavailable",
                true,
                null,
                "payment failed",
                false));
        ErrorGroup g = groups.find("shop", "abc123").orElseThrow();
        assertThat(g.category()).isEqualTo("dependency_unavailable");
        assertThat(g.retryable()).isTrue();
        assertThat(g.logLines()).containsExactly("payment failed");
    }

    @Test
    void sameErrorInAnotherServiceIsAnotherGroup() throws Exception {
        record(
                plain(null),
                new ErrorOccurrence(
                        "billing",
                        clock.instant(),
                        null,
                        "java.lang.IllegalStateException",
                        "order 42 not found",
                        TRACE,
                        null,
                        null,
                        null,
                        null,
                        false));
        assertThat(groups.list(null, null, 100)).hasSize(2);
        assertThat(groups.list("billing", null, 100)).hasSize(1);
    }

    @Test
    void groupsAndCountsSurviveAReopen() throws Exception {
        record(plain("t1"), plain("t2"), plain("t3"));
        groups.close();
        groups = build(10);
        ErrorGroup g = groups.list(null, null, 10).get(0);
        assertThat(g.count()).isEqualTo(3);
        assertThat(groups.count(
                        g.id(),
                        clock.instant().minusSeconds(600),
                        clock.instant().plusSeconds(60)))
                .isEqualTo(3);
        record(plain("t4"));
        assertThat(groups.get(g.id()).orElseThrow().count()).isEqualTo(4);
        assertThat(events).containsExactly("created java.lang.IllegalStateException");
    }

    @Test
    void resolvedGroupSeenAgainIsRegressed() throws Exception {
        record(plain(null));
        String id = groups.list(null, null, 1).get(0).id();
        assertThat(groups.setStatus(id, ErrorStatus.RESOLVED)
                        .get(10, TimeUnit.SECONDS)
                        .orElseThrow()
                        .status())
                .isEqualTo(ErrorStatus.RESOLVED);
        clock.advance(Duration.ofHours(3));
        record(plain(null));
        assertThat(groups.get(id).orElseThrow().status()).isEqualTo(ErrorStatus.REGRESSED);
        assertThat(events)
                .containsExactly(
                        "created java.lang.IllegalStateException", "regressed java.lang.IllegalStateException");
        clock.advance(Duration.ofHours(2));
        assertThat(groups.get(id).orElseThrow().status()).isEqualTo(ErrorStatus.ONGOING);
    }

    @Test
    void ignoredGroupStaysIgnoredButCounts() throws Exception {
        record(plain(null));
        String id = groups.list(null, null, 1).get(0).id();
        groups.setStatus(id, ErrorStatus.IGNORED).get(10, TimeUnit.SECONDS);
        record(plain(null));
        ErrorGroup g = groups.get(id).orElseThrow();
        assertThat(g.status()).isEqualTo(ErrorStatus.IGNORED);
        assertThat(g.count()).isEqualTo(2);
        assertThat(groups.list(null, ErrorStatus.IGNORED, 10)).hasSize(1);
        assertThat(groups.list(null, ErrorStatus.NEW, 10)).isEmpty();
    }

    @Test
    void newBecomesOngoingAfterTheNewPeriod() throws Exception {
        record(plain(null));
        clock.advance(Duration.ofMinutes(61));
        assertThat(groups.list(null, null, 1).get(0).status()).isEqualTo(ErrorStatus.ONGOING);
    }

    @Test
    void settingAComputedStatusByHandIsRefused() {
        assertThatThrownBy(() -> groups.setStatus("x", ErrorStatus.NEW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownGroupStatusChangeFindsNothing() throws Exception {
        assertThat(groups.setStatus("nope", ErrorStatus.RESOLVED).get(10, TimeUnit.SECONDS))
                .isEmpty();
        assertThat(groups.get("nope")).isEmpty();
    }

    @Test
    void countsPerWindowSupportSpikeBaselines() throws Exception {
        record(plain(null));
        clock.advance(Duration.ofMinutes(30));
        record(plain(null), plain(null), plain(null));
        String id = groups.list(null, null, 1).get(0).id();
        Instant now = clock.instant();
        assertThat(groups.countsInWindow(now.minus(Duration.ofMinutes(5)), now.plusSeconds(60)))
                .containsEntry(id, 3L);
        assertThat(groups.countsInWindow(now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(5))))
                .containsEntry(id, 1L);
        assertThat(groups.countsInWindow(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))))
                .isEmpty();
    }

    @Test
    void groupsBeyondTheLimitAreDroppedWhileKnownGroupsStillCount() throws Exception {
        groups.close();
        groups = build(1);
        record(plain(null));
        record(new ErrorOccurrence(
                "shop",
                clock.instant(),
                "other",
                "java.lang.RuntimeException",
                "x",
                null,
                null,
                null,
                null,
                null,
                false));
        record(plain(null));
        List<ErrorGroup> all = groups.list(null, null, 10);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).count()).isEqualTo(2);
    }

    @Test
    void fullQueueRefusesAtOnceAndKeepsNothing() {
        groups.close();
        groups = ErrorGroups.builder(db).clock(clock).queueCapacity(100).build();
        List<ErrorOccurrence> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(plain(null));
        }
        assertThatThrownBy(() -> groups.record(many).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ErrorGroupsBusyException.class);
        assertThat(groups.list(null, null, 10)).isEmpty();
    }

    @Test
    void longFieldsAreTruncated() throws Exception {
        String longMessage = "m".repeat(10_000);
        record(new ErrorOccurrence(
                "shop",
                clock.instant(),
                "fp",
                "T",
                longMessage,
                "x".repeat(100_000),
                null,
                null,
                null,
                "l".repeat(10_000),
                false));
        ErrorGroup g = groups.find("shop", "fp").orElseThrow();
        assertThat(g.message()).hasSizeLessThanOrEqualTo(ErrorGroups.MAX_MESSAGE + 1);
        assertThat(g.stackTrace()).hasSizeLessThanOrEqualTo(ErrorGroups.MAX_STACK_TRACE + 1);
        assertThat(g.logLines().get(0)).hasSizeLessThanOrEqualTo(ErrorGroups.MAX_LOG_LINE + 1);
    }
}
