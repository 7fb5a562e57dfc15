package dev.vigil.bench;

import dev.vigil.agent.errors.ErrorClassification;
import dev.vigil.agent.errors.ErrorClassifier;
import dev.vigil.agent.errors.ErrorComponent;
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

/**
 * What the error recorder computes per failure: the classification of a 60-frame throwable whose
 * root cause is a SQLException with a SQLState, and classification plus fingerprint together.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifyBenchmark {
    private final ErrorClassifier classifier = ErrorClassifier.create();
    private final InAppPolicy policy = InAppPolicy.inferred();
    private Throwable error;

    @Setup
    public void setUp() {
        error = deep(58);
    }

    private static Throwable deep(int depth) {
        if (depth == 0) {
            return new IllegalStateException("checkout failed", new java.sql.SQLException("deadlock", "40P01"));
        }
        return deep(depth - 1);
    }

    @Benchmark
    public ErrorClassification classify() {
        return classifier.classify(error, ErrorComponent.HTTP_SERVER);
    }

    @Benchmark
    public String classifyAndFingerprint() {
        return classifier.classify(error, ErrorComponent.HTTP_SERVER).category().label()
                + ErrorFingerprint.of(error, policy);
    }
}
