package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.TestCollector;
import dev.vigil.it.harness.Wait;
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

    @TempDir
    Path work;

    @Test
    void aGracefulShutdownMarksTheInstanceStoppedAtTheCollector() throws Exception {
        try (TestCollector collector = TestCollector.start("graceful-collector", work)) {
            String instances = "/api/instances";
            AgentApp app = AgentApp.start(
                    "sample-service",
                    collector.otlpUrl(),
                    b -> {},
                    "service.name=graceful-svc",
                    "collector.token=" + TestCollector.INGEST_TOKEN,
                    "metrics.otlp.interval=1s");
            try {
                Http.get(app.url("/hello"));
                Wait.until(
                        Duration.ofSeconds(60),
                        "graceful-svc to report",
                        () -> instance(collector) != null,
                        () -> collector.api(instances));
                assertThat(instance(collector).path("stopped_at").isNull()).isTrue();
            } finally {
                app.close(); // SIGTERM: the JVM runs its shutdown hooks
            }
            Wait.until(
                    Duration.ofSeconds(60),
                    "graceful-svc marked stopped",
                    () -> !instance(collector).path("stopped_at").isNull(),
                    () -> collector.api(instances));
        }
    }

    private static JsonNode instance(TestCollector collector) {
        try {
            JsonNode body = JSON.readTree(collector.api("/api/instances"));
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
