package dev.vigil.bench;

import dev.vigil.bench.shop.Orders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call cost of a business method hooked by the agent from vigil.yaml (counter, timer, counter
 * with tags from an argument and the outcome) against the same method not hooked, and against the
 * same meter written by hand with Micrometer in the method. The forked JVM runs with the real agent
 * jar and benchmarks/business-metrics.yaml, so it must be started from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-javaagent:agent/target/vigil-agent.jar=config=benchmarks/business-metrics.yaml,metrics.port=0,"
                    + "traces.enabled=false,metrics.otlp.enabled=false,metrics.jvm.enabled=false,"
                    + "collector.buffer.disk.enabled=false,metrics.annotations.enabled=false"
        })
public class BusinessMetricsBenchmark {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(75), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofMillis(7500), Duration.ofSeconds(10)
    };

    private final Orders orders = new Orders();
    private final Orders.Order order = new Orders.Order("eu", 3);
    private MeterRegistry registry;
    private Counter counter;
    private Timer timer;
    private int quantity = 3;

    @Setup
    public void setUp() throws InterruptedException {
        // The agent installs hooks beside the application's start-up; wait until it reports it is running.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!String.valueOf(System.getProperty("vigil.agent.state")).startsWith("running")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the agent did not start: run from the repository root with agent/target/vigil-agent.jar built;"
                                + " state " + System.getProperty("vigil.agent.state"));
            }
            Thread.sleep(50);
        }
        // Same registry type and same timer buckets as the agent's hooks.
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        counter = Counter.builder("hand.counted").register(registry);
        timer = Timer.builder("hand.timed").serviceLevelObjectives(BUCKETS).register(registry);
    }

    @Benchmark
    public int uninstrumented() {
        return orders.placePlain(quantity);
    }

    @Benchmark
    public int hookCounter() {
        return orders.placeCounted(quantity);
    }

    @Benchmark
    public int handCounter() {
        int r = orders.placePlain(quantity);
        counter.increment();
        return r;
    }

    @Benchmark
    public int hookTimer() {
        return orders.placeTimed(quantity);
    }

    @Benchmark
    public int handTimer() {
        long start = System.nanoTime();
        int r = orders.placePlain(quantity);
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return r;
    }

    @Benchmark
    public int hookCounterTagged() {
        return orders.placeTagged(order);
    }

    @Benchmark
    public int handCounterTagged() {
        int r = orders.placePlain(order.getQuantity());
        registry.counter("hand.counted.tagged", "region", order.getRegion(), "outcome", "success")
                .increment();
        return r;
    }
}
