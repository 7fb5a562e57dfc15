package dev.vigil.bench;

import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.InAppPolicy;
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

/** Fingerprint of a 60-frame stack trace (a throwable with a cause), as the agent computes it per error. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FingerprintBenchmark {
    private Throwable error;
    private final InAppPolicy policy = InAppPolicy.packages(java.util.List.of("dev.vigil.bench"));

    @Setup
    public void setUp() {
        error = deep(58);
    }

    private static Throwable deep(int depth) {
        if (depth == 0) {
            return new IllegalStateException("order 42 not found", new java.sql.SQLException("deadlock", "40P01"));
        }
        return deep(depth - 1);
    }

    @Benchmark
    public String fingerprint() {
        return ErrorFingerprint.of(error, policy);
    }
}
