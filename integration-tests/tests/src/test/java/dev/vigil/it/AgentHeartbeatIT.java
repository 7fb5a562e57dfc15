package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.TestEnv;
import dev.vigil.it.harness.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent in a real JVM reporting to the real collector jar: its failure becomes one error
 * group (counted once although the agent reports it as a span event and as a log record), its
 * instance is tracked, a graceful stop marks it stopped, and a {@code kill -9} leaves it silent.
 */
class AgentHeartbeatIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void agentFailuresHeartbeatsAndGracefulStopReachTheCollector() throws Exception {
        int otlp = Ports.free();
        int api = Ports.free();
        Path config = dir.resolve("collector.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "data_dir: " + dir.resolve("data"),
                        "otlp: {host: 127.0.0.1, port: " + otlp + ", allow_unauthenticated: true}",
                        "http: {host: 127.0.0.1, port: " + api + ", allow_unauthenticated: true}",
                        "instances: {silent_after: 10s}",
                        "log: {format: text}",
                        ""));
        String apiUrl = "http://127.0.0.1:" + api;
        try (JavaProcess collector = JavaProcess.builder("heartbeat-collector")
                .jar(TestEnv.collectorJar())
                .args("--config", config.toString())
                .start()) {
            Wait.until(WAIT, "collector ready", () -> Http.status(apiUrl + "/readyz") == 200, collector::tail);
            String endpoint = "http://127.0.0.1:" + otlp;

            try (AgentApp graceful =
                    AgentApp.start("sample-service", endpoint, b -> {}, "service.name=heartbeat-graceful")) {
                // the JDK HttpServer closes the connection when a handler throws: no status to check
                Http.status(graceful.url("/fail"));
                Wait.until(
                        WAIT,
                        "the failure's error group",
                        () -> groups(apiUrl, "heartbeat-graceful").size() == 1,
                        collector::tail);
                JsonNode group = groups(apiUrl, "heartbeat-graceful").get(0);
                assertThat(group.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
                assertThat(group.get("category").asText()).isNotEmpty();
                Wait.until(
                        WAIT,
                        "the instance reporting",
                        () -> "reporting".equals(state(apiUrl, "heartbeat-graceful")),
                        collector::tail);
                // the span event and the log record of a failure arrive separately; wait for both
                Wait.until(WAIT, "both signals of the failure", () -> exported(graceful), graceful.process()::tail);
                String detailUrl = apiUrl + "/api/errors/" + group.get("id").asText();
                Wait.until(
                        WAIT,
                        "the log record's line on the group",
                        () -> get(detailUrl).get("log_lines").size() >= 1,
                        collector::tail);
                JsonNode detail = get(detailUrl);
                // one failing request is one trace (the HTTP client may retry a reset GET once), counted
                // once although the agent reports it both as a span event and as a log record
                assertThat(detail.get("trace_ids").size()).isBetween(1, 2);
                assertThat(detail.get("count").asLong())
                        .isEqualTo(detail.get("trace_ids").size());
            }
            Wait.until(
                    WAIT,
                    "the gracefully stopped instance",
                    () -> "stopped".equals(state(apiUrl, "heartbeat-graceful")),
                    collector::tail);

            AgentApp crashed = AgentApp.start("sample-service", endpoint, b -> {}, "service.name=heartbeat-killed");
            try {
                Http.get(crashed.url("/hello"));
                Wait.until(
                        WAIT,
                        "the instance reporting",
                        () -> "reporting".equals(state(apiUrl, "heartbeat-killed")),
                        collector::tail);
                crashed.process().kill();
                Wait.until(
                        WAIT,
                        "the killed instance silent",
                        () -> "silent".equals(state(apiUrl, "heartbeat-killed")),
                        collector::tail);
            } finally {
                crashed.close();
            }
        }
    }

    /** Whether the agent has sent at least one span batch and one log batch. */
    private static boolean exported(AgentApp app) {
        return app.metric("vigil_agent_export_sent_total{signal=\"logs\"}") >= 1
                && app.metric("vigil_agent_export_sent_total{signal=\"traces\"}") >= 1;
    }

    private static JsonNode groups(String apiUrl, String service) {
        return get(apiUrl + "/api/errors?service=" + service).get("groups");
    }

    private static String state(String apiUrl, String service) {
        for (JsonNode i : get(apiUrl + "/api/instances?service=" + service).get("instances")) {
            return i.get("state").asText();
        }
        return null;
    }

    private static JsonNode get(String url) {
        try {
            return JSON.readTree(Http.get(url).body());
        } catch (java.io.IOException e) {
            throw new AssertionError(url + " did not answer JSON", e);
        }
    }
}
