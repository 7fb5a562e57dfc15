package dev.vigil.agent.export;

import dev.vigil.agent.export.DeliveryCounters.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The delivery's metrics on /metrics: buffer sizes, circuit state, drops by reason, replays, damaged files. */
final class DeliveryMetrics {
    private DeliveryMetrics() {}

    static void register(ReliableDelivery delivery, MeterRegistry registry) {
        Backlog backlog = delivery.backlog();
        CircuitBreaker breaker = delivery.breaker();
        DeliveryCounters counters = delivery.counters();
        Gauge.builder("vigil.agent.export.buffer.bytes", backlog, Backlog::memoryBytes)
                .tags("location", "memory")
                .description("Bytes of export requests waiting in the agent's delivery buffer")
                .register(registry);
        Gauge.builder("vigil.agent.export.buffer.bytes", backlog, Backlog::diskBytes)
                .tags("location", "disk")
                .description("Bytes of export requests waiting in the agent's delivery buffer")
                .register(registry);
        Gauge.builder("vigil.agent.export.buffer.requests", backlog, Backlog::memoryRequests)
                .tags("location", "memory")
                .description("Export requests waiting in the agent's delivery buffer")
                .register(registry);
        Gauge.builder("vigil.agent.export.buffer.requests", backlog, Backlog::diskRequests)
                .tags("location", "disk")
                .description("Export requests waiting in the agent's delivery buffer")
                .register(registry);
        Gauge.builder("vigil.agent.export.buffer.disk.available", backlog, b -> b.diskAvailable() ? 1 : 0)
                .description("1 when the disk buffer takes requests, 0 when delivery is memory-only")
                .register(registry);
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("vigil.agent.export.circuit.state", breaker, b -> b.state() == state ? 1 : 0)
                    .tags("state", state.label())
                    .description("Circuit breaker towards the collector: 1 for the current state")
                    .register(registry);
        }
        FunctionCounter.builder("vigil.agent.export.circuit.opened", breaker, CircuitBreaker::openedCount)
                .description("Times the circuit breaker opened because the collector was unreachable")
                .register(registry);
        FunctionCounter.builder("vigil.agent.export.buffer.corrupt.files", counters.corruptFiles(), AtomicLong::get)
                .description("Disk buffer files skipped because they were torn, truncated or damaged")
                .register(registry);
        for (Signal signal : Signal.values()) {
            FunctionCounter.builder(
                            "vigil.agent.export.buffer.replayed", counters.replayedCounter(signal), AtomicLong::get)
                    .tags("signal", signal.label())
                    .description("Items delivered from the disk buffer after an outage or a restart")
                    .register(registry);
            for (DropReason reason : DropReason.values()) {
                FunctionCounter.builder(
                                "vigil.agent.export.buffer.dropped",
                                counters.droppedCounter(signal, reason),
                                AtomicLong::get)
                        .tags("signal", signal.label(), "reason", reason.label())
                        .description("Items the delivery buffer gave up, by reason (also in"
                                + " vigil_agent_export_lost_total)")
                        .register(registry);
            }
        }
    }
}
