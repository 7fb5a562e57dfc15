package dev.vigil.collector.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.errors.ErrorGroupsBusyException;
import dev.vigil.collector.ingest.OtlpCodec.Format;
import dev.vigil.collector.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/HTTP receiver's shared part: limits, tokens, the worker pool that decodes and ingests
 * bodies off the Netty event loops, and the receiver's metrics. {@link OtlpHttpHandler} (one per
 * connection) does the HTTP side.
 */
public final class OtlpReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OtlpReceiver.class);

    /** How long a request may wait for its error groups to be committed before it gets a 503. */
    static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

    final long maxRequestBytes;
    final long maxDecompressedBytes;
    final long retryAfterSeconds;
    final Tokens tokens;
    final boolean allowUnauthenticated;
    final InFlightBudget budget;
    private final TelemetryIngest ingest;
    private final ExecutorService workers;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean accepting;

    public OtlpReceiver(
            TelemetryIngest ingest,
            Tokens tokens,
            boolean allowUnauthenticated,
            long maxRequestBytes,
            long maxDecompressedBytes,
            long maxInFlightBytes,
            Duration retryAfter,
            MeterRegistry registry) {
        this(
                ingest,
                tokens,
                allowUnauthenticated,
                maxRequestBytes,
                maxDecompressedBytes,
                maxInFlightBytes,
                retryAfter,
                registry,
                defaultWorkers());
    }

    /** With the given workers (tests use a direct executor). */
    OtlpReceiver(
            TelemetryIngest ingest,
            Tokens tokens,
            boolean allowUnauthenticated,
            long maxRequestBytes,
            long maxDecompressedBytes,
            long maxInFlightBytes,
            Duration retryAfter,
            MeterRegistry registry,
            ExecutorService workers) {
        this.ingest = requireNonNull(ingest, "ingest");
        this.tokens = requireNonNull(tokens, "tokens");
        this.allowUnauthenticated = allowUnauthenticated;
        this.maxRequestBytes = maxRequestBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
        this.budget = new InFlightBudget(maxInFlightBytes);
        this.registry = registry;
        this.workers = workers;
        Gauge.builder("vigil.collector.ingest.inflight.bytes", budget, InFlightBudget::used)
                .description("Bytes of OTLP request bodies held in memory")
                .baseUnit("bytes")
                .register(registry);
    }

    private static ExecutorService defaultWorkers() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        // a bounded queue: memory is bounded by the in-flight budget, and this bounds the waiting too
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "vigil-ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts or stops accepting data (before that, and while stopping, requests get 503). */
    public void accepting(boolean on) {
        this.accepting = on;
    }

    boolean isAccepting() {
        return accepting;
    }

    /** Counts a request that was answered with {@code status}; {@code reason} for rejections. */
    void countRequest(OtlpSignal signal, int status, String reason) {
        String s = signal == null ? "unknown" : signal.label();
        String key = s + "|" + status + "|" + reason;
        counters.computeIfAbsent(key, k -> Counter.builder("vigil.collector.ingest.requests")
                        .tag("signal", s)
                        .tag("status", Integer.toString(status))
                        .tag("reason", reason)
                        .description(
                                "OTLP export requests by signal, HTTP status and rejection reason (none when accepted)")
                        .register(registry))
                .increment();
    }

    /** The answer to one request, produced on a worker thread. */
    record Answer(int status, String reason, byte[] body, Format format, boolean retryAfter) {}

    /**
     * Decodes and ingests a complete body on a worker; {@code done} gets the answer (on the
     * worker thread, or on the errors writer thread once error groups are committed).
     */
    void process(OtlpSignal signal, Format format, boolean gzip, byte[] body, Consumer<Answer> done) {
        try {
            workers.execute(() -> {
                Answer a = safely(signal, format, gzip, body, done);
                if (a != null) {
                    done.accept(a);
                }
            });
        } catch (RejectedExecutionException e) {
            done.accept(error(429, "overloaded", "the collector is busy; retry later", format, true));
        }
    }

    private Answer safely(OtlpSignal signal, Format format, boolean gzip, byte[] body, Consumer<Answer> done) {
        try {
            return handle(signal, format, gzip, body, done);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            log.error("ingesting {} failed unexpectedly", signal.label(), e);
            return error(500, "internal", "internal error: " + e, format, false);
        }
    }

    /** Returns the answer, or null when {@code done} will be called later (waiting for durability). */
    private Answer handle(OtlpSignal signal, Format format, boolean gzip, byte[] body, Consumer<Answer> done) {
        byte[] raw = body;
        if (gzip) {
            try {
                raw = BoundedGzip.decompress(body, maxDecompressedBytes);
            } catch (BoundedGzip.TooLargeException e) {
                return error(413, "too_large", e.getMessage() + " (otlp.max_decompressed_size)", format, false);
            } catch (IOException e) {
                return error(400, "malformed", "invalid gzip body: " + e.getMessage(), format, false);
            }
        }
        IngestResult result;
        try {
            result = switch (signal) {
                case TRACES -> {
                    ExportTraceServiceRequest r = OtlpCodec.decode(raw, format, ExportTraceServiceRequest.newBuilder())
                            .build();
                    yield ingest.traces(format == Format.JSON ? OtlpJsonIds.fix(r) : r);
                }
                case LOGS -> {
                    ExportLogsServiceRequest r = OtlpCodec.decode(raw, format, ExportLogsServiceRequest.newBuilder())
                            .build();
                    yield ingest.logs(format == Format.JSON ? OtlpJsonIds.fix(r) : r);
                }
                case METRICS ->
                    ingest.metrics(OtlpCodec.decode(raw, format, ExportMetricsServiceRequest.newBuilder())
                            .build());
            };
        } catch (OtlpCodec.MalformedException e) {
            return error(400, "malformed", e.getMessage(), format, false);
        } catch (IllegalArgumentException e) {
            return error(400, "malformed", "invalid OTLP/JSON body: " + e.getMessage(), format, false);
        }
        Answer ok = new Answer(200, "none", success(signal, result, format), format, false);
        if (result.durable().isDone() && !result.durable().isCompletedExceptionally()) {
            return ok;
        }
        result.durable()
                .orTimeout(DURABLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, failure) -> done.accept(failure == null ? ok : durableFailure(failure, format)));
        return null;
    }

    private Answer durableFailure(Throwable failure, Format format) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ErrorGroupsBusyException) {
            return error(
                    429, "overloaded", "the collector is busy (" + cause.getMessage() + "); retry later", format, true);
        }
        if (cause instanceof TimeoutException) {
            return error(503, "unavailable", "the state store did not commit in time; retry later", format, true);
        }
        if (cause instanceof StoreException) {
            return error(503, "unavailable", "the state store failed; retry later", format, true);
        }
        log.error("an ingest request failed", cause);
        return error(503, "unavailable", "could not store the request: " + cause, format, true);
    }

    private static byte[] success(OtlpSignal signal, IngestResult r, Format format) {
        return switch (signal) {
            case TRACES -> {
                ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
                if (r.rejected() > 0) {
                    b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(r.rejected())
                            .setErrorMessage(r.rejectionMessage()));
                }
                yield OtlpCodec.encode(b.build(), format);
            }
            case LOGS -> {
                ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
                if (r.rejected() > 0) {
                    b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                            .setRejectedLogRecords(r.rejected())
                            .setErrorMessage(r.rejectionMessage()));
                }
                yield OtlpCodec.encode(b.build(), format);
            }
            case METRICS -> {
                ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
                if (r.rejected() > 0) {
                    b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                            .setRejectedDataPoints(r.rejected())
                            .setErrorMessage(r.rejectionMessage()));
                }
                yield OtlpCodec.encode(b.build(), format);
            }
        };
    }

    /** An error answer with an OTLP {@code Status} body. */
    static Answer error(int status, String reason, String message, Format format, boolean retryAfter) {
        Format f = format == null ? Format.PROTOBUF : format;
        return new Answer(status, reason, OtlpCodec.status(grpcCode(status), message, f), f, retryAfter);
    }

    private static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> 3; // INVALID_ARGUMENT
            case 401 -> 16; // UNAUTHENTICATED
            case 404, 405, 415 -> 12; // UNIMPLEMENTED
            case 408 -> 4; // DEADLINE_EXCEEDED
            case 413, 429 -> 8; // RESOURCE_EXHAUSTED
            case 503 -> 14; // UNAVAILABLE
            default -> 13; // INTERNAL
        };
    }

    /** Stops the workers after the queued requests (bounded wait). */
    @Override
    public void close() {
        accepting = false;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
