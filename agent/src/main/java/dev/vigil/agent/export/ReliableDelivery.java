package dev.vigil.agent.export;

import static java.util.Objects.requireNonNull;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivery that does not lose data while the collector is away. {@link #deliver} only queues the
 * request (in memory, or on disk while the collector is down) and returns; one {@code
 * vigil-export} thread sends, retries with back-off and jitter, honours Retry-After, stops behind a
 * circuit breaker while the collector is unreachable, and replays the disk buffer oldest first once
 * it is back. At shutdown it flushes for a bounded time and leaves the rest on disk; at start it
 * adopts what earlier runs of the same service left there. See docs/agent-delivery.md.
 */
public final class ReliableDelivery implements Delivery {
    private static final AgentLog LOG = AgentLog.get(ReliableDelivery.class);

    private final Backlog backlog;
    private final DeliveryLoop loop;
    private final CircuitBreaker breaker;
    private final DeliveryCounters counters;
    private final NanoClock clock;
    private final long shutdownFlushNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean stopped;

    private ReliableDelivery(Builder b, boolean startThread) {
        this.clock = b.clock;
        this.counters = new DeliveryCounters(b.stats);
        DiskBuffer disk = b.bufferDirectory == null
                ? DiskBuffer.disabled(counters)
                : DiskBuffer.open(b.bufferDirectory, b.serviceName, b.diskMaxBytes, clock, counters);
        this.backlog = new Backlog(b.memoryMaxBytes, disk, counters);
        this.breaker = new CircuitBreaker(b.failureThreshold, b.openDuration.toNanos(), b.random);
        this.loop = new DeliveryLoop(
                backlog,
                b.transport,
                breaker,
                new Backoff(b.initialBackoff.toNanos(), b.maxBackoff.toNanos(), b.random),
                clock,
                b.stats,
                counters,
                b.retryAfterCap.toNanos(),
                b.maxElapsed.toNanos());
        this.shutdownFlushNanos = b.shutdownFlush.toNanos();
        this.thread = startThread ? AgentThreads.factory("export").newThread(this::run) : null;
        if (thread != null) {
            thread.start();
        }
    }

    public static Builder builder(OtlpTransport transport, ExportStats stats) {
        return new Builder(transport, stats);
    }

    /** Builds it from the agent's settings ({@code vigil.collector.retry.*}, {@code .circuit.*}, {@code .buffer.*}). */
    public static ReliableDelivery start(
            AgentConfig config, OtlpTransport transport, ExportStats stats, String serviceName) {
        return configure(config, transport, stats, serviceName).build();
    }

    /** A builder with the agent's settings; an inconsistent pair of back-off settings is warned about and fixed. */
    static Builder configure(AgentConfig config, OtlpTransport transport, ExportStats stats, String serviceName) {
        Duration initial = config.get(AgentSettings.RETRY_INITIAL_BACKOFF);
        Duration max = config.get(AgentSettings.RETRY_MAX_BACKOFF);
        if (max.compareTo(initial) < 0) {
            LOG.warn("configuration: vigil.collector.retry.max.backoff (" + max
                    + ") is below vigil.collector.retry.initial.backoff (" + initial + "); using " + initial
                    + " for both");
            max = initial;
        }
        Builder b = builder(transport, stats)
                .serviceName(serviceName)
                .initialBackoff(initial)
                .maxBackoff(max)
                .maxElapsed(config.get(AgentSettings.RETRY_MAX_ELAPSED))
                .retryAfterCap(config.get(AgentSettings.RETRY_AFTER_MAX))
                .failureThreshold(config.get(AgentSettings.CIRCUIT_FAILURE_THRESHOLD))
                .openDuration(config.get(AgentSettings.CIRCUIT_OPEN_DURATION))
                .memoryMaxBytes(config.get(AgentSettings.BUFFER_MEMORY_MAX_SIZE))
                .diskMaxBytes(config.get(AgentSettings.BUFFER_DISK_MAX_SIZE))
                .shutdownFlush(config.get(AgentSettings.SHUTDOWN_FLUSH_TIMEOUT));
        if (config.get(AgentSettings.BUFFER_DISK_ENABLED)) {
            String dir = config.get(AgentSettings.BUFFER_DIRECTORY);
            try {
                b.bufferDirectory(
                        dir != null ? Paths.get(dir) : Paths.get(System.getProperty("java.io.tmpdir"), "vigil-buffer"));
            } catch (InvalidPathException e) {
                LOG.warn("configuration: vigil.collector.buffer.directory is not a usable path (" + e.getMessage()
                        + "); data the collector cannot take now is kept in memory only");
            }
        } else {
            LOG.info("disk buffering is off (vigil.collector.buffer.disk.enabled=false): while the collector is"
                    + " unreachable, data is kept in memory only");
        }
        return b;
    }

    /**
     * Queues one request; returns at once (a disk write at most, while the collector is down). After
     * shutdown the items are counted as lost.
     */
    @Override
    public void deliver(Signal signal, byte[] protobuf, int items) {
        backlog.add(signal, protobuf, items, breaker.state() != CircuitBreaker.State.CLOSED);
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Sends what is in memory for at most the flush timeout (not the disk backlog, which may be large),
     * then stops the thread and writes whatever is left in memory to disk for the next run.
     */
    @Override
    public void shutdown() {
        if (stopped) {
            return;
        }
        long deadline = clock.nanoTime() + shutdownFlushNanos;
        if (thread != null) {
            LockSupport.unpark(thread);
            while (!backlog.memoryIdle()
                    && breaker.state() == CircuitBreaker.State.CLOSED
                    && clock.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            running = false;
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped = true;
        backlog.persistAndClose();
        if (backlog.diskRequests() > 0) {
            LOG.info(backlog.diskRequests() + " export requests (" + backlog.diskBytes()
                    + " bytes) stay in the disk buffer; the next start of this service sends them");
        }
    }

    /** Registers the buffer and circuit-breaker metrics (docs/agent-delivery.md). */
    public void bindTo(MeterRegistry registry) {
        DeliveryMetrics.register(this, registry);
    }

    Backlog backlog() {
        return backlog;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    DeliveryCounters counters() {
        return counters;
    }

    DeliveryLoop loop() {
        return loop;
    }

    private void run() {
        while (running) {
            long wait;
            try {
                wait = loop.step();
            } catch (RuntimeException | LinkageError e) {
                LOG.warnOnce("delivery-loop", "export delivery failed unexpectedly; retrying in 1s", e);
                wait = TimeUnit.SECONDS.toNanos(1);
            }
            if (wait > 0 && running) {
                // IDLE parks until deliver() unparks us; the cap re-checks the breaker and disk now and then
                LockSupport.parkNanos(this, Math.min(wait, TimeUnit.SECONDS.toNanos(5)));
            }
            Thread.interrupted(); // an interrupt only means "stop": running says whether to go on
        }
    }

    /** Settings of a {@link ReliableDelivery}; every duration and size must be positive. */
    public static final class Builder {
        private final OtlpTransport transport;
        private final ExportStats stats;
        private String serviceName = "unknown_service";
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxElapsed = Duration.ofSeconds(60);
        private Duration retryAfterCap = Duration.ofSeconds(60);
        private int failureThreshold = 5;
        private Duration openDuration = Duration.ofSeconds(30);
        private long memoryMaxBytes = 8L << 20;
        private long diskMaxBytes = 64L << 20;
        private Path bufferDirectory;
        private Duration shutdownFlush = Duration.ofSeconds(5);
        private NanoClock clock = NanoClock.SYSTEM;
        private java.util.function.DoubleSupplier random =
                () -> ThreadLocalRandom.current().nextDouble();

        Builder(OtlpTransport transport, ExportStats stats) {
            this.transport = requireNonNull(transport, "transport");
            this.stats = requireNonNull(stats, "stats");
        }

        public Builder serviceName(String name) {
            this.serviceName = requireNonNull(name, "serviceName");
            return this;
        }

        public Builder initialBackoff(Duration d) {
            this.initialBackoff = positive(d, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(Duration d) {
            this.maxBackoff = positive(d, "maxBackoff");
            return this;
        }

        public Builder maxElapsed(Duration d) {
            this.maxElapsed = positive(d, "maxElapsed");
            return this;
        }

        public Builder retryAfterCap(Duration d) {
            this.retryAfterCap = positive(d, "retryAfterCap");
            return this;
        }

        public Builder failureThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, got " + n);
            }
            this.failureThreshold = n;
            return this;
        }

        public Builder openDuration(Duration d) {
            this.openDuration = positive(d, "openDuration");
            return this;
        }

        public Builder memoryMaxBytes(long bytes) {
            this.memoryMaxBytes = positive(bytes, "memoryMaxBytes");
            return this;
        }

        public Builder diskMaxBytes(long bytes) {
            this.diskMaxBytes = positive(bytes, "diskMaxBytes");
            return this;
        }

        /** Base directory of the disk buffer; null turns disk buffering off. */
        public Builder bufferDirectory(Path dir) {
            this.bufferDirectory = dir;
            return this;
        }

        public Builder shutdownFlush(Duration d) {
            this.shutdownFlush = requireNonNull(d, "shutdownFlush");
            return this;
        }

        Builder clock(NanoClock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        Builder random(java.util.function.DoubleSupplier r) {
            this.random = requireNonNull(r, "random");
            return this;
        }

        /** Starts the delivery thread. */
        public ReliableDelivery build() {
            return validated(true);
        }

        /** Without a thread: tests call {@link ReliableDelivery#loop()} steps themselves. */
        ReliableDelivery buildStepped() {
            return validated(false);
        }

        private ReliableDelivery validated(boolean startThread) {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
            }
            return new ReliableDelivery(this, startThread);
        }

        private static Duration positive(Duration d, String name) {
            requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        private static long positive(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
            return v;
        }
    }
}
