package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery's settings: defaults as documented, bad values reported and replaced, never fatal. */
class DeliverySettingsTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheDocumentedOnes() {
        AgentConfig config = ConfigLoader.builder().load();
        assertThat(config.get(AgentSettings.RETRY_INITIAL_BACKOFF)).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.get(AgentSettings.RETRY_MAX_BACKOFF)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(AgentSettings.RETRY_MAX_ELAPSED)).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.get(AgentSettings.RETRY_AFTER_MAX)).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.get(AgentSettings.CIRCUIT_FAILURE_THRESHOLD)).isEqualTo(5);
        assertThat(config.get(AgentSettings.CIRCUIT_OPEN_DURATION)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(AgentSettings.BUFFER_MEMORY_MAX_SIZE)).isEqualTo(8L << 20);
        assertThat(config.get(AgentSettings.BUFFER_DISK_MAX_SIZE)).isEqualTo(64L << 20);
        assertThat(config.get(AgentSettings.BUFFER_DISK_ENABLED)).isTrue();
        assertThat(config.get(AgentSettings.BUFFER_DIRECTORY)).isNull();
        assertThat(config.get(AgentSettings.SHUTDOWN_FLUSH_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aBufferSizeBelowTheMinimumIsReportedAndTheDefaultUsed() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.buffer.disk.max.size=1KiB,collector.buffer.memory.max.size=-5")
                .load();
        assertThat(config.get(AgentSettings.BUFFER_DISK_MAX_SIZE)).isEqualTo(64L << 20);
        assertThat(config.get(AgentSettings.BUFFER_MEMORY_MAX_SIZE)).isEqualTo(8L << 20);
        assertThat(config.warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("vigil.collector.buffer.disk.max.size")
                        .contains("at least 65536 bytes"))
                .anySatisfy(w -> assertThat(w)
                        .contains("vigil.collector.buffer.memory.max.size")
                        .contains("expected a size"));
    }

    @Test
    void malformedDurationsAndThresholdsAreReportedAndTheDefaultsUsed() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.retry.initial.backoff=soon,collector.circuit.failure.threshold=0,"
                        + "collector.circuit.open.duration=0s")
                .load();
        assertThat(config.get(AgentSettings.RETRY_INITIAL_BACKOFF)).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.get(AgentSettings.CIRCUIT_FAILURE_THRESHOLD)).isEqualTo(5);
        assertThat(config.get(AgentSettings.CIRCUIT_OPEN_DURATION)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.warnings()).hasSize(3);
    }

    @Test
    void aMaximumBackOffBelowTheInitialOneIsRaisedToItInsteadOfFailing() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.retry.initial.backoff=10s,collector.retry.max.backoff=1s,"
                        + "collector.circuit.failure.threshold=10,collector.buffer.directory=" + tmp)
                .load();
        FakeClock clock = new FakeClock();
        FakeTransport collector = new FakeTransport().then(FakeTransport.unavailable());
        ReliableDelivery d = ReliableDelivery.configure(config, collector, new ExportStats(), "svc")
                .clock(clock)
                .random(() -> 1.0)
                .buildStepped();
        d.deliver(Signal.TRACES, new byte[] {1}, 1);
        assertThat(d.loop().step()).isEqualTo(Duration.ofSeconds(10).toNanos());
        d.shutdown();
    }

    @Test
    void theConfiguredDirectoryHoldsTheBufferUnderTheServiceName() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.buffer.directory=" + tmp)
                .load();
        ReliableDelivery d = ReliableDelivery.configure(config, new FakeTransport(), new ExportStats(), "shop/api")
                .buildStepped();
        assertThat(d.backlog().disk().directory().getParent()).isEqualTo(tmp.resolve("shop_api"));
        d.shutdown();
    }

    @Test
    void anInvalidDirectoryMeansMemoryOnlyNotAFailure() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.buffer.directory=/tmp/bad\u0000name")
                .load();
        ReliableDelivery d = ReliableDelivery.configure(config, new FakeTransport(), new ExportStats(), "svc")
                .buildStepped();
        assertThat(d.backlog().disk().configured()).isFalse();
        d.shutdown();
    }

    @Test
    void diskBufferingCanBeTurnedOff() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("collector.buffer.disk.enabled=false")
                .load();
        ReliableDelivery d = ReliableDelivery.configure(config, new FakeTransport(), new ExportStats(), "svc")
                .buildStepped();
        assertThat(d.backlog().disk().configured()).isFalse();
        assertThat(d.backlog().diskAvailable()).isFalse();
        d.shutdown();
    }
}
