package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.TestCollector;
import dev.vigil.it.harness.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real collector stopped for a minute while an instrumented service serves steady traffic,
 * then started again on the same ports: the service kept serving what was offered, and every span
 * and every error made during the outage reaches the collector from the agent's buffers.
 */
class CollectorRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** Requests per second offered to the service: well below what it can serve, so any drop is the agent's. */
    private static final int RATE = 50;

    @TempDir
    Path work;

    @Test
    void aMinuteWithoutTheCollectorCostsTheServiceNothingAndLosesNoSpanOrError() throws Exception {
        TestCollector collector = TestCollector.start("restart-collector", work.resolve("collector"));
        String apiUrl = collector.apiUrl();
        try (AgentApp app = AgentApp.start(
                "sample-service",
                collector.otlpUrl(),
                b -> {},
                "service.name=restart-svc",
                "collector.token=" + TestCollector.INGEST_TOKEN,
                "collector.buffer.directory=" + work.resolve("buffer"),
                "collector.retry.initial.backoff=200ms",
                "collector.retry.max.backoff=2s",
                "collector.circuit.open.duration=2s")) {
            // Before: the service reports; the collector knows its error type.
            Traffic.run(app, Duration.ofSeconds(5));
            long errorsBefore = agentErrorCount(app);
            assertThat(errorsBefore).isPositive();
            Wait.until(
                    Duration.ofSeconds(60),
                    "the errors made before the outage to be grouped",
                    () -> errorCount(apiUrl) == errorsBefore,
                    () -> "collector has " + errorCount(apiUrl) + " of " + errorsBefore);
            long spansBefore = acceptedSpans(apiUrl);

            collector.close(); // SIGTERM: down for a minute
            Traffic during = Traffic.run(app, OUTAGE);
            assertThat(during.served.get() + during.failures.get())
                    .as("requests the service answered during the outage, of %d offered", during.offered.get())
                    .isGreaterThanOrEqualTo(during.offered.get() * 95 / 100);

            collector.start(); // same ports and data directory
            // What the agent itself counted (vigil_errors_total) must all arrive. Delivery is
            // at-least-once (docs/agent-delivery.md): a batch the collector committed while being
            // stopped, whose answer never reached the agent, is sent again and counted again.
            long expectedErrors = agentErrorCount(app);
            assertThat(expectedErrors).isGreaterThan(errorsBefore);
            Wait.until(
                    Duration.ofSeconds(120),
                    "every error made during the outage to arrive",
                    () -> errorCount(apiUrl) >= expectedErrors,
                    () -> "collector has " + errorCount(apiUrl) + " of " + expectedErrors + " errors");
            long outageSpans = during.offered.get();
            Wait.until(
                    Duration.ofSeconds(120),
                    "every span made during the outage to arrive",
                    () -> acceptedSpans(apiUrl) >= outageSpans,
                    () -> "collector accepted " + acceptedSpans(apiUrl) + " spans since its restart; the outage made "
                            + outageSpans + " (" + spansBefore + " before it)");
            assertThat(app.metric("vigil_agent_export_lost_total{signal=\"traces\"}"))
                    .isZero();
            assertThat(app.metric("vigil_agent_export_lost_total{signal=\"logs\"}"))
                    .isZero();
        } finally {
            collector.close();
        }
    }

    /** Occurrences of the sample service's failure, as the collector counts them. */
    private static long errorCount(String apiUrl) {
        try {
            JsonNode groups = JSON.readTree(Http.get(
                                    apiUrl + "/api/errors?service=restart-svc",
                                    "Authorization",
                                    "Bearer " + TestCollector.API_TOKEN)
                            .body())
                    .path("groups");
            long count = 0;
            for (JsonNode g : groups) {
                if (g.path("type").asText().equals("java.lang.IllegalStateException")) {
                    count += g.path("count").asLong();
                }
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Failures the agent counted in {@code vigil_errors_total} for the sample's error type. */
    private static long agentErrorCount(AgentApp app) {
        long count = 0;
        for (String line : app.scrape().split("\n")) {
            if (line.startsWith("vigil_errors_total{") && line.contains("java.lang.IllegalStateException")) {
                count += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count;
    }

    /** Spans the (current) collector process accepted, from its own /metrics. */
    private static long acceptedSpans(String apiUrl) {
        for (String line : Http.get(apiUrl + "/metrics").body().split("\n")) {
            if (line.startsWith("vigil_collector_ingest_items_total{")
                    && line.contains("outcome=\"accepted\"")
                    && line.contains("signal=\"traces\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Steady traffic at {@link #RATE}: nine in ten requests succeed, one in ten fails in the handler. */
    private static final class Traffic {
        final AtomicLong offered = new AtomicLong();
        final AtomicLong served = new AtomicLong();
        final AtomicLong failures = new AtomicLong();

        static Traffic run(AgentApp app, Duration length) throws InterruptedException {
            Traffic t = new Traffic();
            AtomicBoolean stop = new AtomicBoolean();
            long intervalNanos = 1_000_000_000L / RATE;
            long end = System.nanoTime() + length.toNanos();
            long next = System.nanoTime();
            while (System.nanoTime() < end && !stop.get()) {
                long n = t.offered.incrementAndGet();
                if (n % 10 == 0) {
                    // The handler throws; the JDK server drops the connection (no status), and the
                    // JDK client may retry the GET once: the agent's own count is the reference.
                    Http.status(app.url("/fail"));
                    t.failures.incrementAndGet();
                } else if (Http.status(app.url("/hello")) == 200) {
                    t.served.incrementAndGet();
                }
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            return t;
        }
    }
}
