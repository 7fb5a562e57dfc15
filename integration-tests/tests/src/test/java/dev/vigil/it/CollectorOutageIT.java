package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's delivery when the collector is away: a real sample service with the agent, an in-test
 * OTLP receiver that is stopped, answers errors, or comes back on the same port.
 */
@Tag("jdk-matrix")
class CollectorOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APP = "sample-service";
    /** Short back-off and cool-down so an outage is noticed and left within seconds. */
    private static final String[] FAST = {
        "collector.retry.initial.backoff=100ms",
        "collector.retry.max.backoff=500ms",
        "collector.circuit.failure.threshold=2",
        "collector.circuit.open.duration=1s",
        "collector.timeout=2s"
    };

    @TempDir
    Path tmp;

    @Test
    void spansMadeWhileTheCollectorIsDownArriveInOrderWithoutDuplicatesOnceItIsBack() {
        OtlpSink first = OtlpSink.start();
        int port = first.port();
        try (AgentApp app = AgentApp.start(APP, first, b -> {}, options(tmp))) {
            Http.get(app.url("/hello?warmup"));
            first.awaitSpan(s -> "warmup".equals(s.attr("url.query")), WAIT);
            first.close();

            int rounds = 6;
            for (int r = 0; r < rounds; r++) {
                round(app, "outage", r, 10, 2);
                if (r == 0) {
                    awaitMetric(app, "vigil_agent_export_circuit_state{state=\"open\"}", 1);
                }
            }
            assertThat(app.metric("vigil_agent_export_buffer_requests{location=\"disk\"}"))
                    .isPositive();

            OtlpSink second = OtlpSink.start(port);
            try {
                List<ReceivedSpan> got = second.awaitSpans(s -> query(s).contains("outage"), rounds * 12, WAIT);
                awaitBufferEmpty(app);
                got = second.spans().stream()
                        .filter(s -> query(s).contains("outage"))
                        .collect(Collectors.toList());
                assertThat(got).hasSize(rounds * 12);
                assertThat(got.stream().map(ReceivedSpan::spanId)).doesNotHaveDuplicates();
                assertThat(got.stream().filter(ReceivedSpan::isError)).hasSize(rounds * 2);
                List<Integer> roundsInArrivalOrder =
                        got.stream().map(s -> param(s, "round")).collect(Collectors.toList());
                assertThat(roundsInArrivalOrder).as("replayed oldest first").isSorted();
                assertThat(app.metric("vigil_agent_export_lost_total{signal=\"traces\"}"))
                        .isZero();
                assertThat(app.metric("vigil_agent_export_buffer_replayed_total{signal=\"traces\"}"))
                        .isPositive();
                assertThat(app.metric("vigil_agent_export_circuit_state{state=\"closed\"}"))
                        .isEqualTo(1);
                assertThat(app.metric("vigil_agent_instrumentation_errors_total"))
                        .isZero();
            } finally {
                second.close();
            }
        }
    }

    @Test
    void retryAfterFromAnOverloadedCollectorIsHonouredAndNothingIsLost() {
        try (OtlpSink sink = OtlpSink.start()) {
            sink.respondWith(503, "2");
            try (AgentApp app = AgentApp.start(APP, sink, b -> {}, options(tmp))) {
                Http.get(app.url("/hello?overloaded"));
                Wait.until(WAIT, "three refused export attempts", () -> traceRequests(sink, 503) >= 3);
                sink.respondWith(200, null);
                sink.awaitSpan(s -> "overloaded".equals(s.attr("url.query")), WAIT);

                List<OtlpSink.Received> attempts = sink.received().stream()
                        .filter(r -> r.path.equals("/v1/traces"))
                        .collect(Collectors.toList());
                for (int i = 1; i < attempts.size(); i++) {
                    if (attempts.get(i - 1).status == 503) {
                        long gapMillis = (attempts.get(i).nanoTime - attempts.get(i - 1).nanoTime) / 1_000_000;
                        assertThat(gapMillis)
                                .as("wait after a 503 with Retry-After: 2 (attempt %d)", i)
                                .isGreaterThanOrEqualTo(2000);
                    }
                }
                assertThat(app.metric("vigil_agent_export_failures_total{reason=\"http_503\",signal=\"traces\"}"))
                        .isGreaterThanOrEqualTo(3);
                assertThat(app.metric("vigil_agent_export_lost_total{signal=\"traces\"}"))
                        .isZero();
            }
        }
    }

    @Test
    void aRejectedRequestIsNeverRetriedAndItsSpansAreCountedAsLost() {
        try (OtlpSink sink = OtlpSink.start()) {
            sink.respondWith(400, null);
            try (AgentApp app = AgentApp.start(APP, sink, b -> {}, options(tmp))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(Http.get(app.url("/hello?rejected&i=" + i)).statusCode())
                            .isEqualTo(200);
                }
                awaitMetric(app, "vigil_agent_export_lost_total{signal=\"traces\"}", 3);
                assertThat(app.metric("vigil_agent_export_failures_total{reason=\"http_400\",signal=\"traces\"}"))
                        .isGreaterThanOrEqualTo(1);

                sink.respondWith(200, null);
                Http.get(app.url("/hello?accepted"));
                sink.awaitSpan(s -> "accepted".equals(s.attr("url.query")), WAIT);
                // delivery is first in, first out: a retry of the rejected request would have come first
                assertThat(sink.spans()).noneMatch(s -> query(s).contains("rejected"));
                assertThat(traceRequests(sink, 400)).isEqualTo((long)
                        app.metric("vigil_agent_export_failures_total{reason=\"http_400\",signal=\"traces\"}"));
                assertThat(app.metric("vigil_agent_export_lost_total{signal=\"traces\"}"))
                        .isEqualTo(3);
                assertThat(app.metric("vigil_agent_export_circuit_state{state=\"closed\"}"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void overTheDiskCapTheOldestSpansAreDroppedAndEverySpanIsAccountedFor() {
        int port = Ports.free();
        String padding = "p".repeat(2000);
        try (AgentApp app = AgentApp.start(
                APP,
                "http://127.0.0.1:" + port,
                b -> {},
                options(tmp, "collector.buffer.disk.max.size=64KiB", "collector.buffer.memory.max.size=64KiB"))) {
            int rounds = 10;
            int perRound = 4;
            for (int r = 0; r < rounds; r++) {
                round(app, "capped&pad=" + padding, r, perRound, 0);
                if (r == 0) {
                    awaitMetric(app, "vigil_agent_export_circuit_state{state=\"open\"}", 1);
                }
            }
            assertThat(app.metric("vigil_agent_export_buffer_bytes{location=\"disk\"}"))
                    .isLessThanOrEqualTo(64 * 1024);

            try (OtlpSink sink = OtlpSink.start(port)) {
                awaitMetric(app, "vigil_agent_export_circuit_state{state=\"closed\"}", 1);
                awaitBufferEmpty(app);
                List<ReceivedSpan> got = sink.spans().stream()
                        .filter(s -> query(s).contains("capped"))
                        .collect(Collectors.toList());
                double lost = app.metric("vigil_agent_export_lost_total{signal=\"traces\"}");
                assertThat(lost).isPositive();
                assertThat(app.metric("vigil_agent_export_buffer_dropped_total{reason=\"disk_cap\",signal=\"traces\"}"))
                        .isEqualTo(lost);
                assertThat(got.stream().map(ReceivedSpan::spanId)).doesNotHaveDuplicates();
                assertThat(got.size() + lost).as("received + counted as lost").isEqualTo(rounds * perRound);

                Map<Integer, Integer> receivedPerRound = new TreeMap<>();
                got.forEach(s -> receivedPerRound.merge(param(s, "round"), 1, Integer::sum));
                int newestIncomplete = -1;
                for (int r = 0; r < rounds; r++) {
                    if (receivedPerRound.getOrDefault(r, 0) < perRound) {
                        newestIncomplete = r;
                    }
                }
                int oldestReceived = receivedPerRound.keySet().iterator().next();
                assertThat(newestIncomplete)
                        .as("only the oldest were dropped: received per round %s", receivedPerRound)
                        .isLessThanOrEqualTo(oldestReceived);
                assertThat(receivedPerRound).containsEntry(rounds - 1, perRound);
            }
        }
    }

    @Test
    void spansBufferedByAProcessKilledDuringAnOutageAreDeliveredByTheNextRun() {
        int port = Ports.free();
        String endpoint = "http://127.0.0.1:" + port;
        String firstInstance;
        try (AgentApp first = AgentApp.start(APP, endpoint, b -> {}, options(tmp))) {
            for (int i = 0; i < 20; i++) {
                assertThat(Http.get(first.url("/hello?run=1&i=" + i)).statusCode())
                        .isEqualTo(200);
            }
            awaitMetric(first, "vigil_agent_spans_exported_total", 20);
            awaitMetric(first, "vigil_agent_export_circuit_state{state=\"open\"}", 1);
            Wait.until(
                    WAIT,
                    "every span on disk",
                    () -> first.metric("vigil_agent_export_buffer_requests{location=\"memory\"}") == 0
                            && first.metric("vigil_agent_export_buffer_requests{location=\"disk\"}") > 0);
            firstInstance = first.process().pid() + "";
            first.process().kill();
        }

        try (OtlpSink sink = OtlpSink.start(port);
                AgentApp second = AgentApp.start(APP, sink, b -> {}, options(tmp))) {
            List<ReceivedSpan> got = sink.awaitSpans(s -> query(s).startsWith("run=1"), 20, WAIT);
            awaitBufferEmpty(second);
            got = sink.spans().stream()
                    .filter(s -> query(s).startsWith("run=1"))
                    .collect(Collectors.toList());
            assertThat(got).hasSize(20);
            assertThat(got.stream().map(s -> s.resource.get("process.pid")))
                    .as("they keep the identity of the process that made them")
                    .containsOnly(firstInstance);
            assertThat(second.metric("vigil_agent_export_buffer_replayed_total{signal=\"traces\"}"))
                    .isGreaterThanOrEqualTo(20);
            assertThat(second.process().outputText()).contains("adopted");
        }
    }

    @Test
    void twoLiveInstancesOfOneServiceNeverTakeEachOthersBuffer() {
        int port = Ports.free();
        String endpoint = "http://127.0.0.1:" + port;
        try (AgentApp first = AgentApp.start(APP, endpoint, b -> {}, options(tmp))) {
            for (int i = 0; i < 10; i++) {
                Http.get(first.url("/hello?instance=1&i=" + i));
            }
            awaitMetric(first, "vigil_agent_spans_exported_total", 10);
            awaitMetric(first, "vigil_agent_export_circuit_state{state=\"open\"}", 1);
            Wait.until(
                    WAIT,
                    "the first instance's spans on disk",
                    () -> first.metric("vigil_agent_export_buffer_requests{location=\"memory\"}") == 0);
            double firstOnDisk = first.metric("vigil_agent_export_buffer_requests{location=\"disk\"}");
            assertThat(firstOnDisk).isPositive();

            try (AgentApp second = AgentApp.start(APP, endpoint, b -> {}, options(tmp))) {
                assertThat(second.metric("vigil_agent_export_buffer_requests{location=\"disk\"}"))
                        .as("the live first instance's buffer is locked")
                        .isZero();
                assertThat(second.process().outputText()).doesNotContain("adopted");
                assertThat(first.metric("vigil_agent_export_buffer_requests{location=\"disk\"}"))
                        .isEqualTo(firstOnDisk);
                Http.get(second.url("/hello?instance=2"));

                try (OtlpSink sink = OtlpSink.start(port)) {
                    sink.awaitSpans(s -> query(s).startsWith("instance="), 11, WAIT);
                    awaitBufferEmpty(first);
                    awaitBufferEmpty(second);
                    List<ReceivedSpan> got = sink.spans().stream()
                            .filter(s -> query(s).startsWith("instance="))
                            .collect(Collectors.toList());
                    assertThat(got).hasSize(11);
                    assertThat(got.stream().map(ReceivedSpan::spanId)).doesNotHaveDuplicates();
                    assertThat(got.stream()
                                    .filter(s -> query(s).startsWith("instance=1"))
                                    .map(s -> s.resource.get("process.pid")))
                            .containsOnly(first.process().pid() + "");
                }
            }
        }
    }

    @Test
    void anUnwritableBufferDirectoryLeavesTheAppFineWithAWarningAndMemoryOnlyDelivery() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");
        try (OtlpSink sink = OtlpSink.start();
                AgentApp app = AgentApp.start(
                        APP,
                        sink,
                        b -> {},
                        options(null, "collector.buffer.directory=" + notADirectory.resolve("buffer")))) {
            assertThat(Http.get(app.url("/hello?memory-only")).statusCode()).isEqualTo(200);
            sink.awaitSpan(s -> "memory-only".equals(s.attr("url.query")), WAIT);
            assertThat(app.process().outputText())
                    .contains("cannot use the export buffer directory")
                    .contains("kept in memory only");
            assertThat(app.metric("vigil_agent_export_buffer_disk_available")).isZero();
            assertThat(app.metric("vigil_agent_export_lost_total{signal=\"traces\"}"))
                    .isZero();
        }
    }

    private static String[] options(Path buffer, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(FAST));
        if (buffer != null) {
            all.add("collector.buffer.directory=" + buffer);
        }
        all.addAll(Arrays.asList(more));
        return all.toArray(new String[0]);
    }

    /**
     * Requests tagged with the round number, then waits until the agent handed their spans to the
     * delivery, so each round travels in its own export requests.
     */
    private static void round(AgentApp app, String marker, int round, int hellos, int failures) {
        double before = app.metric("vigil_agent_spans_exported_total");
        for (int i = 0; i < hellos; i++) {
            assertThat(Http.get(app.url("/hello?" + marker + "&round=" + round + "&i=" + i))
                            .statusCode())
                    .as("the application keeps serving while the collector is away")
                    .isEqualTo(200);
        }
        for (int i = 0; i < failures; i++) {
            requestOnce(app, "/fail?" + marker + "&round=" + round + "&i=" + i);
        }
        awaitMetric(app, "vigil_agent_spans_exported_total", before + hellos + failures);
    }

    /**
     * One GET on a fresh connection, reading until the server closes it. Not through {@link Http}: the
     * JDK client silently repeats a GET whose connection was closed without an answer (which is what
     * the sample service's /fail does), and each repeat would be one more span.
     */
    private static void requestOnce(AgentApp app, String pathAndQuery) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.appPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitMetric(AgentApp app, String series, double atLeast) {
        Wait.until(
                WAIT,
                series + " >= " + atLeast,
                () -> app.metric(series) >= atLeast,
                () -> series + " = " + app.metric(series) + "\n" + app.process().tail());
    }

    private static void awaitBufferEmpty(AgentApp app) {
        Wait.until(
                WAIT,
                "the delivery buffer to drain",
                () -> app.metric("vigil_agent_export_buffer_requests{location=\"disk\"}") == 0
                        && app.metric("vigil_agent_export_buffer_requests{location=\"memory\"}") == 0,
                app.process()::tail);
    }

    private static long traceRequests(OtlpSink sink, int status) {
        return sink.received().stream()
                .filter(r -> r.path.equals("/v1/traces") && r.status == status)
                .count();
    }

    private static String query(ReceivedSpan s) {
        String q = s.attr("url.query");
        return q == null ? "" : q;
    }

    private static int param(ReceivedSpan s, String name) {
        for (String pair : query(s).split("&")) {
            if (pair.startsWith(name + "=")) {
                return Integer.parseInt(pair.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + s);
    }
}
