package dev.vigil.agent.export;

import static dev.vigil.agent.export.FakeTransport.refused;
import static dev.vigil.agent.export.FakeTransport.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.export.CircuitBreaker.State;
import dev.vigil.agent.export.DeliveryCounters.DropReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery state machine, stepped by hand on a fake clock against a fake collector. */
class ReliableDeliveryTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private final FakeTransport collector = new FakeTransport();
    private final ExportStats stats = new ExportStats();

    private ReliableDelivery.Builder builder() {
        return ReliableDelivery.builder(collector, stats)
                .serviceName("checkout")
                .bufferDirectory(tmp)
                .clock(clock)
                .random(() -> 1.0)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(30))
                .maxElapsed(Duration.ofMinutes(10))
                .retryAfterCap(Duration.ofSeconds(60))
                .failureThreshold(3)
                .openDuration(Duration.ofSeconds(30))
                .memoryMaxBytes(1 << 20)
                .diskMaxBytes(1 << 20);
    }

    @Test
    void deliversInOrderWhenTheCollectorIsUp() {
        ReliableDelivery d = builder().buildStepped();
        deliver(d, "r1", "r2", "r3");
        drive(d);
        assertThat(collector.accepted).containsExactly("r1", "r2", "r3");
        assertThat(stats.counter("sent", Signal.TRACES).get()).isEqualTo(3);
        assertThat(d.backlog().memoryRequests()).isZero();
        assertThat(d.backlog().diskRequests()).isZero();
    }

    @Test
    void retriesRetryableFailuresAfterGrowingBackOff() {
        collector.then(unavailable(), refused(), SendResult.retryable(502, -1, "http_502"));
        ReliableDelivery d = builder().failureThreshold(10).buildStepped();
        deliver(d, "r1");
        assertThat(drive(d)).containsExactly(3 * SECOND, 9 * SECOND, 27 * SECOND, 0L);
        assertThat(collector.attempts).containsExactly("r1", "r1", "r1", "r1");
        assertThat(collector.accepted).containsExactly("r1");
        assertThat(stats.failures()).isEqualTo(3);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();
    }

    @Test
    void noAttemptIsMadeBeforeTheBackOffIsOver() {
        collector.then(unavailable());
        ReliableDelivery d = builder().buildStepped();
        deliver(d, "r1");
        assertThat(d.loop().step()).isEqualTo(3 * SECOND);
        clock.advanceSeconds(2);
        assertThat(d.loop().step()).isEqualTo(SECOND);
        assertThat(collector.attempts).hasSize(1);
        clock.advanceSeconds(1);
        d.loop().step();
        assertThat(collector.accepted).containsExactly("r1");
    }

    @Test
    void retryAfterLongerThanTheBackOffIsHonoured() {
        collector.then(SendResult.retryable(429, 20_000, "http_429"));
        ReliableDelivery d = builder().buildStepped();
        deliver(d, "r1");
        assertThat(d.loop().step()).isEqualTo(20 * SECOND);
        clock.advanceSeconds(19.9);
        d.loop().step();
        assertThat(collector.attempts).hasSize(1);
    }

    @Test
    void retryAfterIsCapped() {
        collector.then(SendResult.retryable(503, 3_600_000, "http_503"));
        ReliableDelivery d = builder().retryAfterCap(Duration.ofSeconds(45)).buildStepped();
        deliver(d, "r1");
        assertThat(d.loop().step()).isEqualTo(45 * SECOND);
    }

    @Test
    void permanentFailuresAreNeverRetriedAndCountAsLost() {
        collector.then(SendResult.permanent(400, "http_400: bad request"));
        ReliableDelivery d = builder().buildStepped();
        d.deliver(Signal.TRACES, bytes("bad"), 7);
        deliver(d, "good");
        drive(d);
        assertThat(collector.attempts).containsExactly("bad", "good");
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(7);
        assertThat(stats.failures()).isEqualTo(1);
        assertThat(d.breaker().state()).isEqualTo(State.CLOSED);
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresAndNothingIsSentDuringTheCoolDown() {
        collector.always(refused());
        ReliableDelivery d = builder().buildStepped();
        deliver(d, "r1", "r2");
        assertThat(d.loop().step()).isEqualTo(3 * SECOND);
        clock.advance(3 * SECOND);
        assertThat(d.loop().step()).isEqualTo(9 * SECOND);
        clock.advance(9 * SECOND);
        assertThat(d.loop().step()).as("third failure opens it").isEqualTo(30 * SECOND);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        assertThat(d.backlog().diskRequests()).as("memory moved to disk").isEqualTo(2);
        assertThat(d.backlog().memoryRequests()).isZero();

        deliver(d, "r3");
        assertThat(d.backlog().diskRequests())
                .as("new data goes straight to disk")
                .isEqualTo(3);
        clock.advanceSeconds(29);
        assertThat(d.loop().step()).isEqualTo(SECOND);
        assertThat(collector.attempts).hasSize(3);
    }

    @Test
    void afterTheCoolDownOneProbeGoesOutAndTheBacklogIsReplayedInOrder() {
        ReliableDelivery d = outage("r1", "r2", "r3", "r4");
        collector.always(SendResult.success());
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        d.loop().step();
        assertThat(d.breaker().state()).isEqualTo(State.CLOSED);
        drive(d);
        assertThat(collector.accepted).containsExactly("r1", "r2", "r3", "r4");
        assertThat(d.counters().replayedCounter(Signal.TRACES).get()).isEqualTo(4);
        assertThat(d.backlog().diskRequests()).isZero();
        assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();
    }

    @Test
    void aFailedProbeOpensTheBreakerAgainAfterOneAttempt() {
        ReliableDelivery d = outage("r1", "r2");
        int attempts = collector.attempts.size();
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        assertThat(d.loop().step()).isEqualTo(30 * SECOND);
        assertThat(collector.attempts).hasSize(attempts + 1);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        assertThat(d.breaker().openedCount()).isEqualTo(2);
        assertThat(d.backlog().diskRequests()).isEqualTo(2);
    }

    @Test
    void aRequestFailingForLongerThanTheMaximumOpensTheBreakerBelowTheThreshold() {
        collector.always(unavailable());
        ReliableDelivery d = builder()
                .failureThreshold(100)
                .maxElapsed(Duration.ofSeconds(10))
                .buildStepped();
        deliver(d, "r1");
        drive(d, 3);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        assertThat(collector.attempts).hasSize(3);
        assertThat(d.backlog().diskRequests()).isEqualTo(1);
    }

    @Test
    void afterRecoveryTheBacklogAndFreshDataAlternate() {
        ReliableDelivery d = outage("d1", "d2", "d3", "d4");
        collector.always(SendResult.success());
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        d.loop().step();
        deliver(d, "f1", "f2");
        drive(d);
        assertThat(collector.accepted).containsExactly("d1", "f1", "d2", "f2", "d3", "d4");
    }

    @Test
    void overTheMemoryCapTheOldestRequestsMoveToDiskAndNothingIsLost() {
        ReliableDelivery d = builder().memoryMaxBytes(250).buildStepped();
        deliver(d, body("r1", 100), body("r2", 100), body("r3", 100), body("r4", 100), body("r5", 100));
        assertThat(d.backlog().memoryRequests()).isEqualTo(2);
        assertThat(d.backlog().diskRequests()).isEqualTo(3);
        drive(d);
        assertThat(collector.accepted.stream().map(s -> s.substring(0, 2)))
                .containsExactly("r1", "r4", "r2", "r5", "r3");
        assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();
    }

    @Test
    void overTheDiskCapTheOldestRequestsAreDroppedAndCounted() {
        long recordSize = BufferRecord.HEADER_SIZE + 100;
        collector.always(refused());
        ReliableDelivery d = builder().diskMaxBytes(3 * recordSize).buildStepped();
        deliver(d, body("r1", 100));
        drive(d, 3);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        for (String r : List.of("r2", "r3", "r4", "r5")) {
            d.deliver(Signal.TRACES, bytes(body(r, 100)), 10);
        }
        assertThat(d.backlog().diskRequests()).isEqualTo(3);
        assertThat(d.backlog().diskBytes()).isEqualTo(3 * recordSize);
        assertThat(d.counters()
                        .droppedCounter(Signal.TRACES, DropReason.DISK_CAP)
                        .get())
                .isEqualTo(1 + 10);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(11);

        collector.always(SendResult.success());
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        drive(d);
        assertThat(collector.accepted.stream().map(s -> s.substring(0, 2))).containsExactly("r3", "r4", "r5");
    }

    @Test
    void withAnUnwritableDirectoryDeliveryIsMemoryOnlyAndTheOldestAreDroppedOverTheCap() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        collector.always(refused());
        ReliableDelivery d = builder()
                .bufferDirectory(file.resolve("buffer"))
                .memoryMaxBytes(250)
                .buildStepped();
        assertThat(d.backlog().diskAvailable()).isFalse();
        deliver(d, body("r1", 100));
        drive(d, 3);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        deliver(d, body("r2", 100), body("r3", 100), body("r4", 100));
        assertThat(d.backlog().memoryRequests()).isEqualTo(2);
        assertThat(d.counters()
                        .droppedCounter(Signal.TRACES, DropReason.MEMORY_CAP)
                        .get())
                .isEqualTo(2);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(2);

        collector.always(SendResult.success());
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        drive(d);
        assertThat(collector.accepted.stream().map(s -> s.substring(0, 2))).containsExactly("r3", "r4");
    }

    @Test
    void aFailingDiskSwitchesToMemoryAndIsTriedAgainLater() throws IOException {
        ReliableDelivery d = outage("r1");
        Path own = d.backlog().disk().directory();
        deleteTree(own);
        Files.writeString(own, "the directory is gone and a file took its place");
        deliver(d, "r2");
        assertThat(d.backlog().diskAvailable()).isFalse();
        assertThat(d.backlog().memoryRequests()).isEqualTo(1);

        Files.delete(own);
        Files.createDirectories(own);
        clock.advance(DiskBuffer.RETRY_AFTER_FAILURE_NANOS);
        deliver(d, "r3");
        assertThat(d.backlog().diskAvailable()).isTrue();
        assertThat(Files.list(own).filter(p -> p.toString().endsWith(".vgb")).count())
                .isEqualTo(1);

        collector.always(SendResult.success());
        clock.advance(Math.max(0, d.breaker().probeAt() - clock.nanoTime()));
        drive(d);
        assertThat(collector.accepted)
                .as("r1 was on the disk that vanished: counted as lost, not sent")
                .containsExactly("r2", "r3");
        assertThat(d.counters()
                        .droppedCounter(Signal.TRACES, DropReason.CORRUPT)
                        .get())
                .isEqualTo(1);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(1);
    }

    @Test
    void aFileDamagedWhileBufferedIsSkippedAndCountedAndTheRestIsReplayed() throws IOException {
        ReliableDelivery d = outage("r1", "r2", "r3");
        Path own = d.backlog().disk().directory();
        Path second;
        try (Stream<Path> files = Files.list(own)) {
            second = files.filter(p -> p.toString().endsWith(".vgb"))
                    .sorted()
                    .collect(Collectors.toList())
                    .get(1);
        }
        byte[] content = Files.readAllBytes(second);
        content[content.length - 1] ^= 0x5A;
        Files.write(second, content);

        collector.always(SendResult.success());
        clock.advance(d.breaker().probeAt() - clock.nanoTime());
        drive(d);
        assertThat(collector.accepted).containsExactly("r1", "r3");
        assertThat(d.counters().corruptFiles().get()).isEqualTo(1);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(1);
        assertThat(second).doesNotExist();
    }

    @Test
    void tornAndCorruptFilesLeftByADeadProcessAreSkippedAndCounted() throws IOException {
        Path dead = Files.createDirectories(tmp.resolve("checkout").resolve("0000000000001-99999-1"));
        Files.writeString(dead.resolve(".lock"), "");
        write(dead, new BufferRecord(0, Signal.TRACES, 2), "good-1");
        BufferRecord truncated = new BufferRecord(1, Signal.TRACES, 3);
        byte[] full = truncated.encode(bytes("truncated"), 1);
        Files.write(dead.resolve(truncated.fileName()), Arrays.copyOf(full, full.length - 4));
        Files.write(dead.resolve(new BufferRecord(2, Signal.LOGS, 5).fileName()), bytes("garbage, not a record"));
        BufferRecord torn = new BufferRecord(3, Signal.TRACES, 4);
        Files.write(dead.resolve(torn.fileName() + ".tmp"), Arrays.copyOf(torn.encode(bytes("torn"), 1), 20));
        write(dead, new BufferRecord(4, Signal.METRICS, 6), "good-2");
        Files.writeString(dead.resolve("README"), "not ours: left alone");

        ReliableDelivery d = builder().buildStepped();
        drive(d);

        assertThat(collector.accepted).containsExactly("good-1", "good-2");
        assertThat(d.counters().corruptFiles().get()).isEqualTo(3);
        assertThat(d.counters()
                        .droppedCounter(Signal.TRACES, DropReason.CORRUPT)
                        .get())
                .isEqualTo(3 + 4);
        assertThat(d.counters().droppedCounter(Signal.LOGS, DropReason.CORRUPT).get())
                .isEqualTo(5);
        assertThat(stats.counter("lost", Signal.LOGS).get()).isEqualTo(5);
        assertThat(stats.counter("sent", Signal.METRICS).get()).isEqualTo(6);
        assertThat(dead.resolve("README")).exists();
        assertThat(Files.list(dead).filter(p -> p.toString().contains(".vgb")).count())
                .isZero();
    }

    @Test
    void shutdownWritesMemoryToDiskAndTheNextRunReplaysItFirst() {
        collector.always(refused());
        ReliableDelivery first = builder().buildStepped();
        deliver(first, "r1", "r2");
        first.loop().step();
        first.shutdown();
        assertThat(first.backlog().diskRequests()).isEqualTo(2);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();

        collector.always(SendResult.success());
        ReliableDelivery second = builder().buildStepped();
        assertThat(second.backlog().diskRequests()).isEqualTo(2);
        drive(second);
        deliver(second, "n1");
        drive(second);
        assertThat(collector.accepted).containsExactly("r1", "r2", "n1");
        assertThat(second.counters().replayedCounter(Signal.TRACES).get()).isEqualTo(2);
        assertThat(first.backlog().disk().directory()).doesNotExist();
    }

    @Test
    void aBufferLockedByALiveDeliveryIsNotAdopted() {
        ReliableDelivery live = outage("r1", "r2");
        ReliableDelivery other = builder().buildStepped();
        assertThat(other.backlog().diskRequests()).isZero();
        assertThat(live.backlog().diskRequests()).isEqualTo(2);
        other.shutdown();
        assertThat(live.backlog().disk().directory()).exists();
    }

    @Test
    void onlyTheOwnerCanReadTheBuffer() throws IOException {
        ReliableDelivery d = outage("r1");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(d.backlog().disk().directory())))
                .isEqualTo("rwx------");
    }

    @Test
    void anEmptyBufferDirectoryIsRemovedAtShutdown() {
        ReliableDelivery d = builder().buildStepped();
        deliver(d, "r1");
        drive(d);
        Path own = d.backlog().disk().directory();
        d.shutdown();
        assertThat(own).doesNotExist();
    }

    @Test
    void dataDeliveredAfterShutdownIsCountedAsLost() {
        ReliableDelivery d = builder().buildStepped();
        d.shutdown();
        d.deliver(Signal.LOGS, bytes("late"), 4);
        assertThat(stats.counter("lost", Signal.LOGS).get()).isEqualTo(4);
        assertThat(d.counters().droppedCounter(Signal.LOGS, DropReason.SHUTDOWN).get())
                .isEqualTo(4);
        assertThat(collector.attempts).isEmpty();
    }

    @Test
    void withoutADiskBufferShutdownCountsWhatIsLeftAsLost() {
        collector.always(refused());
        ReliableDelivery d = builder().bufferDirectory(null).buildStepped();
        d.deliver(Signal.TRACES, bytes("r1"), 9);
        d.loop().step();
        d.shutdown();
        assertThat(d.counters()
                        .droppedCounter(Signal.TRACES, DropReason.SHUTDOWN)
                        .get())
                .isEqualTo(9);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isEqualTo(9);
    }

    @Test
    void metricsShowBufferSizesAndCircuitState() {
        ReliableDelivery d = outage("r1", "r2");
        MeterRegistry registry = new SimpleMeterRegistry();
        d.bindTo(registry);
        assertThat(registry.get("vigil.agent.export.buffer.requests")
                        .tag("location", "disk")
                        .gauge()
                        .value())
                .isEqualTo(2);
        assertThat(registry.get("vigil.agent.export.buffer.bytes")
                        .tag("location", "disk")
                        .gauge()
                        .value())
                .isEqualTo(2 * (BufferRecord.HEADER_SIZE + 2));
        assertThat(registry.get("vigil.agent.export.buffer.requests")
                        .tag("location", "memory")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("vigil.agent.export.circuit.state")
                        .tag("state", "open")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("vigil.agent.export.circuit.state")
                        .tag("state", "closed")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("vigil.agent.export.circuit.opened")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.agent.export.buffer.disk.available")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("vigil.agent.export.buffer.dropped")
                        .tags("signal", "traces", "reason", "disk_cap")
                        .functionCounter()
                        .count())
                .isZero();
    }

    /** Three refused attempts of the first request open the breaker; the rest is delivered during the outage. */
    private ReliableDelivery outage(String... requests) {
        collector.always(refused());
        ReliableDelivery d = builder().buildStepped();
        deliver(d, requests[0]);
        drive(d, 3);
        assertThat(d.breaker().state()).isEqualTo(State.OPEN);
        deliver(d, Arrays.copyOfRange(requests, 1, requests.length));
        return d;
    }

    private static void deliver(ReliableDelivery d, String... bodies) {
        for (String b : bodies) {
            d.deliver(Signal.TRACES, bytes(b), 1);
        }
    }

    /** Steps until idle, moving the clock by each wait; returns the waits. */
    private List<Long> drive(ReliableDelivery d) {
        return drive(d, Integer.MAX_VALUE);
    }

    /** Steps until idle or until the collector was called {@code attempts} more times. */
    private List<Long> drive(ReliableDelivery d, int attempts) {
        long target = (long) collector.attempts.size() + attempts;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10_000 && collector.attempts.size() < target; i++) {
            long wait = d.loop().step();
            if (wait == DeliveryLoop.IDLE) {
                return waits;
            }
            waits.add(wait);
            clock.advance(wait);
        }
        return waits;
    }

    private static String body(String name, int length) {
        StringBuilder b = new StringBuilder(name);
        while (b.length() < length) {
            b.append('.');
        }
        return b.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path dir, BufferRecord record, String body) throws IOException {
        Files.write(dir.resolve(record.fileName()), record.encode(bytes(body), 1));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
