package dev.vigil.it.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.InAppPolicy;
import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedLog;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.Wait;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent does with an application's logging, for each framework: the same tests run
 * against a tiny Logback, Log4j 2 and JUL app (integration-tests/apps/*-app), each with its own
 * logging configuration that the agent never reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogFrameworkContract {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    private OtlpSink sink;
    private AgentApp app;

    @TempDir
    Path dir;

    /** integration-tests/apps/&lt;name&gt;. */
    abstract String appName();

    /** Whether the framework has an MDC the application can read (JUL has none). */
    abstract boolean hasMdc();

    @BeforeAll
    void start() {
        sink = OtlpSink.start();
        app = AgentApp.start(appName(), sink);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void theApplicationReadsTheTraceIdsFromItsMdcAndItsOwnPatternPrintsThem() {
        String traceId = newTraceId();
        var response = Http.get(app.url("/work"), "traceparent", traceparent(traceId));
        assertThat(response.statusCode()).isEqualTo(200);
        if (hasMdc()) {
            assertThat(response.body()).isEqualTo(traceId);
            app.process().awaitLine(l -> l.contains("working on order 42") && l.contains("trace=" + traceId), WAIT);
        } else {
            app.process().awaitLine(l -> l.contains("working on order 42"), WAIT);
        }
        sink.awaitSpan(s -> s.traceId().equals(traceId), WAIT);
        assertThat(sink.logs()).as("INFO is below the export level").noneMatch(l -> l.body()
                .contains("working on"));
    }

    @Test
    void anErrorLoggedWithAnExceptionIsShippedClassifiedAndCountedOnce() {
        double before = errorCount("error_category=\"conflict\"");
        String traceId = newTraceId();
        assertThat(Http.get(app.url("/fail"), "traceparent", traceparent(traceId))
                        .statusCode())
                .isEqualTo(500);
        ReceivedSpan span =
                sink.awaitSpan(s -> s.traceId().equals(traceId) && s.kind() == SpanKind.SPAN_KIND_SERVER, WAIT);
        ReceivedLog log = sink.awaitLog(l -> l.traceId().equals(traceId), WAIT);
        assertThat(log.body()).isEqualTo("payment failed for order 42");
        assertThat(log.record.getSeverityText()).isEqualTo("ERROR");
        assertThat(log.attributes)
                .containsEntry("vigil.error.category", "conflict")
                .containsEntry("vigil.error.retryable", "true")
                .containsEntry("vigil.error.component", "logger")
                .containsEntry("exception.type", "java.lang.IllegalStateException")
                .containsKey("vigil.error.fingerprint");
        assertThat(log.attributes.get("exception.stacktrace"))
                .contains("Caused by: java.sql.SQLException: could not serialize access");
        String fingerprint = log.attributes.get("vigil.error.fingerprint");
        assertThat(ErrorFingerprint.ofStackTrace(log.attributes.get("exception.stacktrace"), InAppPolicy.inferred()))
                .as("the collector, grouping by the shipped stack trace text, finds the agent's fingerprint")
                .isEqualTo(fingerprint);
        assertThat(span.isError()).isTrue();
        assertThat(span.events("exception"))
                .anySatisfy(e -> assertThat(e).containsEntry("vigil.error.fingerprint", fingerprint));

        Wait.until(WAIT, "the error to be counted", () -> errorCount("error_category=\"conflict\"") == before + 1);
        String series = app.scrape()
                .lines()
                .filter(l -> l.startsWith("vigil_errors_total{") && l.contains("error_category=\"conflict\""))
                .findFirst()
                .orElseThrow();
        assertThat(series)
                .contains("service=\"" + appName() + "\"")
                .contains("error_retryable=\"true\"")
                .contains("error_type=\"java.sql.SQLException\"");
        assertThat(errorCount("error_type=\"500\""))
                .as("the 500 answered for the same failure")
                .isZero();
        assertThat(sink.logs().stream().filter(l -> l.traceId().equals(traceId)))
                .hasSize(1);
        assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
    }

    @Test
    void anUncaughtExceptionIsRecordedAndStillReachesTheApplicationsOwnHandler() {
        assertThat(Http.get(app.url("/crash")).statusCode()).isEqualTo(200);
        app.process().awaitLine(l -> l.equals("APP HANDLER crashing-worker: bad input on worker"), WAIT);
        ReceivedLog log = sink.awaitLog(l -> "uncaught".equals(l.attributes.get("vigil.error.component")), WAIT);
        assertThat(log.attributes)
                .containsEntry("vigil.error.category", "invalid_input")
                .containsEntry("exception.type", "java.lang.IllegalArgumentException")
                .containsEntry("exception.message", "bad input on worker");
        Wait.until(
                WAIT,
                "the uncaught exception to be counted",
                () -> errorCount("error_type=\"java.lang.IllegalArgumentException\"") == 1);
    }

    @Test
    void consoleJsonModeTurnsEveryConsoleLineIntoJsonWithTraceAndErrorFields() throws Exception {
        try (OtlpSink jsonSink = OtlpSink.start();
                AgentApp jsonApp = AgentApp.start(appName(), jsonSink, "logs.json=console")) {
            Http.get(jsonApp.url("/work"));
            Http.get(jsonApp.url("/fail"));
            ReceivedSpan work = awaitServerSpan(jsonSink, "/work");
            String errorLine =
                    jsonApp.process().awaitLine(l -> l.startsWith("{") && l.contains("payment failed"), WAIT);
            String workLine =
                    jsonApp.process().awaitLine(l -> l.startsWith("{") && l.contains("working on order"), WAIT);

            JsonNode info = JSON.readTree(workLine);
            assertThat(info.get("message").asText()).isEqualTo("working on order 42 for <redacted>");
            assertThat(info.get("level").asText()).isEqualTo("INFO");
            assertThat(info.get("logger_name").asText()).isEqualTo("dev.vigil.it.apps.logs." + mainClass());
            assertThat(info.get("thread_name").asText()).isNotEmpty();
            assertThat(info.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
            assertThat(info.get("service").asText()).isEqualTo(appName());
            assertThat(info.get("trace_id").asText()).isEqualTo(work.traceId());
            assertThat(info.get("span_id").asText()).isEqualTo(work.spanId());

            JsonNode error = JSON.readTree(errorLine);
            assertThat(error.get("level").asText()).isEqualTo("ERROR");
            assertThat(error.get("stack_trace").asText()).startsWith("java.lang.IllegalStateException: charge failed");
            assertThat(error.get("vigil.error.category").asText()).isEqualTo("conflict");
            assertThat(error.get("vigil.error.fingerprint").asText()).hasSize(16);

            var hostile = Http.get(jsonApp.url("/hostile"));
            assertThat(hostile.body()).as("the application is unaffected").isEqualTo("survived");
            JsonNode bad =
                    JSON.readTree(jsonApp.process().awaitLine(l -> l.startsWith("{") && l.contains("hostile"), WAIT));
            assertThat(bad.get("message").asText()).isEqualTo("hostile \u0007 bell \ud83d\ude00 \ufffd end");
            assertThat(bad.get("stack_trace").asText())
                    .contains("bad \u0000 \u001b[31m \ufffd \"quoted\" \n second line")
                    .contains("... " + (10_000 - 256) + " frames omitted")
                    .contains("[CIRCULAR REFERENCE: ");
            assertThat(bad.get("vigil.error.fingerprint").asText()).hasSize(16);

            List<String> appLines = jsonApp.process().output().stream()
                    .filter(l ->
                            l.contains("working on order") || l.contains("payment failed") || l.contains("hostile"))
                    .collect(Collectors.toList());
            assertThat(appLines).hasSizeGreaterThanOrEqualTo(3).allSatisfy(l -> JSON.readTree(l));
            assertThat(jsonApp.metric("vigil_agent_instrumentation_errors_total"))
                    .isZero();
        }
    }

    @Test
    void fileModeWritesRotatedJsonAndLeavesTheConsoleAloneWithTheSameFingerprintAsAnotherRun() throws Exception {
        Path file = dir.resolve("logs/app.json");
        try (OtlpSink fileSink = OtlpSink.start();
                AgentApp fileApp =
                        AgentApp.start(appName(), fileSink, "logs.json=file:" + file, "logs.json.file.max.size=4KiB")) {
            Http.get(fileApp.url("/fail"));
            for (int i = 0; i < 40; i++) {
                Http.get(fileApp.url("/work"));
            }
            Path rotated = dir.resolve("logs/app.json.1");
            Wait.until(WAIT, "the JSON log file to rotate", () -> Files.exists(rotated), fileApp.process()::tail);
            fileApp.process().awaitLine(l -> l.contains("working on order 42"), WAIT);
            assertThat(fileApp.process().output()).noneMatch(l -> l.startsWith("{"));

            List<JsonNode> lines = new ArrayList<>();
            List<Path> files;
            try (var listing = Files.list(file.getParent())) {
                files = listing.collect(Collectors.toList());
            }
            assertThat(files).allMatch(p -> p.getFileName().toString().matches("app\\.json(\\.[1-5])?"));
            for (Path p : files) {
                for (String l : Files.readAllLines(p)) {
                    lines.add(JSON.readTree(l));
                }
            }
            assertThat(Files.size(rotated)).isLessThanOrEqualTo(4096);
            JsonNode error = lines.stream()
                    .filter(n -> n.has("vigil.error.fingerprint"))
                    .findFirst()
                    .orElseThrow();
            String firstRun = sink.awaitLog(l -> l.body().equals("payment failed for order 42"), fetchFirstRunFailure())
                    .attributes
                    .get("vigil.error.fingerprint");
            assertThat(error.get("vigil.error.fingerprint").asText()).isEqualTo(firstRun);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes sure the first app logged /fail once (the tests run in any order), then gives the wait. */
    private Duration fetchFirstRunFailure() {
        if (sink.logs().stream().noneMatch(l -> l.body().equals("payment failed for order 42"))) {
            Http.get(app.url("/fail"));
        }
        return WAIT;
    }

    private String mainClass() {
        switch (appName()) {
            case "logback-app":
                return "LogbackApp";
            case "log4j2-app":
                return "Log4j2App";
            default:
                return "JulApp";
        }
    }

    private static ReceivedSpan awaitServerSpan(OtlpSink s, String route) {
        return s.awaitSpan(sp -> sp.kind() == SpanKind.SPAN_KIND_SERVER && route.equals(sp.attr("http.route")), WAIT);
    }

    /** The sum of the vigil_errors_total series whose labels contain {@code labelPart}. */
    private double errorCount(String labelPart) {
        double sum = 0;
        for (String line : app.scrape().split("\n")) {
            if (line.startsWith("vigil_errors_total{") && line.contains(labelPart)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String newTraceId() {
        return String.format("%016x%016x", System.nanoTime(), Double.doubleToLongBits(Math.random()));
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-00f067aa0ba902b7-01";
    }
}
