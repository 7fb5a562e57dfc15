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
 * An application that shuts down gracefully tells the collector so (a {@code vigil.agent.stopped}
 * log record): the real collector marks the instance stopped, which the heartbeat rules treat as
 * a planned stop rather than a silent instance.
 */
class GracefulStopIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INGEST = "graceful-ingest-token-0123456789";
    private static final String API = "graceful-api-token-0123456789";

    @TempDir
    Path work;

    @Test
    void aGracefulShutdownMarksTheInstanceStoppedAtTheCollector() throws Exception {
        int otlp = Ports.free();
        int api = Ports.free();
        Path config = work.resolve("collector.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "data_dir: " + work.resolve("data"),
                        "otlp: {host: 127.0.0.1, port: " + otlp + ", tokens: [" + INGEST + "]}",
                        "http: {host: 127.0.0.1, port: " + api + ", api_tokens: [" + API + "]}",
                        ""));
        String instances = "http://127.0.0.1:" + api + "/api/instances";
        try (JavaProcess collector = JavaProcess.builder("graceful-collector")
                .jar(TestEnv.collectorJar())
                .args("--config", config.toString())
                .start()) {
            Wait.until(
                    Duration.ofSeconds(60),
                    "the collector to be ready",
                    () -> Http.status("http://127.0.0.1:" + api + "/readyz") == 200,
                    collector::tail);
            AgentApp app = AgentApp.start(
                    "sample-service",
                    "http://127.0.0.1:" + otlp,
                    b -> {},
                    "service.name=graceful-svc",
                    "collector.token=" + INGEST,
                    "metrics.otlp.interval=1s");
            try {
                Http.get(app.url("/hello"));
                Wait.until(
                        Duration.ofSeconds(60),
                        "graceful-svc to report",
                        () -> instance(instances) != null,
                        () -> Http.get(instances, "Authorization", "Bearer " + API)
                                .body());
                assertThat(instance(instances).path("stopped_at").isNull()).isTrue();
            } finally {
                app.close(); // SIGTERM: the JVM runs its shutdown hooks
            }
            Wait.until(
                    Duration.ofSeconds(60),
                    "graceful-svc marked stopped",
                    () -> !instance(instances).path("stopped_at").isNull(),
                    () -> Http.get(instances, "Authorization", "Bearer " + API).body());
        }
    }

    private static JsonNode instance(String url) {
        try {
            JsonNode body = JSON.readTree(
                    Http.get(url, "Authorization", "Bearer " + API).body());
            for (JsonNode i : body.has("instances") ? body.get("instances") : body) {
                if (i.path("service").asText().equals("graceful-svc")) {
                    return i;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
