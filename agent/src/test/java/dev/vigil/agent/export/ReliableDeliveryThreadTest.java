package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real delivery thread: callers never wait for the collector. */
class ReliableDeliveryThreadTest {
    @TempDir
    Path tmp;

    private final ExportStats stats = new ExportStats();

    /** Answers only once released, like a collector that accepts connections and then hangs. */
    private static final class HangingTransport implements OtlpTransport {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> accepted = new CopyOnWriteArrayList<>();

        @Override
        public SendResult send(Signal signal, byte[] protobuf) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SendResult.retryable(0, -1, "interrupted");
            }
            accepted.add((int) protobuf[0]);
            return SendResult.success();
        }

        @Override
        public String endpoint() {
            return "http://hanging.test:4318";
        }
    }

    @Test
    void deliverReturnsWhileTheCollectorHangsAndEverythingArrivesOnceItAnswers() {
        HangingTransport collector = new HangingTransport();
        ReliableDelivery d = ReliableDelivery.builder(collector, stats)
                .serviceName("svc")
                .bufferDirectory(tmp)
                .memoryMaxBytes(4 * 1024)
                .build();
        try {
            assertThatCode(() -> {
                        for (int i = 0; i < 100; i++) {
                            byte[] body = new byte[1024];
                            body[0] = (byte) i;
                            d.deliver(Signal.TRACES, body, 1);
                        }
                    })
                    .doesNotThrowAnyException();
            assertThat(collector.accepted).isEmpty();
            assertThat(d.backlog().diskRequests())
                    .as("what memory cannot hold went to disk")
                    .isGreaterThanOrEqualTo(95);

            collector.release.countDown();
            await(() -> collector.accepted.size() == 100);
            assertThat(collector.accepted).doesNotHaveDuplicates();
            assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();
        } finally {
            collector.release.countDown();
            d.shutdown();
        }
    }

    @Test
    void shutdownFlushesWhatIsInMemoryWhenTheCollectorIsUp() {
        HangingTransport collector = new HangingTransport();
        collector.release.countDown();
        ReliableDelivery d = ReliableDelivery.builder(collector, stats)
                .serviceName("svc")
                .bufferDirectory(tmp)
                .shutdownFlush(Duration.ofSeconds(30))
                .build();
        for (int i = 0; i < 20; i++) {
            d.deliver(Signal.TRACES, new byte[] {(byte) i}, 1);
        }
        d.shutdown();
        assertThat(collector.accepted).hasSize(20);
        assertThat(d.backlog().diskRequests()).isZero();
    }

    @Test
    void shutdownWithAHangingCollectorKeepsTheDataOnDiskForTheNextRun() {
        HangingTransport collector = new HangingTransport();
        ReliableDelivery d = ReliableDelivery.builder(collector, stats)
                .serviceName("svc")
                .bufferDirectory(tmp)
                .shutdownFlush(Duration.ofMillis(200))
                .build();
        for (int i = 0; i < 5; i++) {
            d.deliver(Signal.TRACES, new byte[] {(byte) i}, 1);
        }
        d.shutdown();
        assertThat(d.backlog().diskRequests()).isEqualTo(5);
        assertThat(stats.counter("lost", Signal.TRACES).get()).isZero();
        collector.release.countDown();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting").isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
