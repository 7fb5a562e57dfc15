package dev.vigil.collector.it;

import static dev.vigil.collector.it.AlertNotificationIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver that rejects every payload (400): the collector gives the notification up at once,
 * records it, counts it, and its own NotificationsGivenUp alert (the shipped rule) reaches the
 * receivers that work.
 */
class GiveUpAlertIT {
    @TempDir
    Path dir;

    @Test
    void aGivenUpNotificationRaisesTheCollectorsOwnAlert() throws Exception {
        try (StubReceiver rejecting = new StubReceiver()
                        .otherwise(StubReceiver.Behaviour.status(400))
                        .start();
                StubReceiver good = new StubReceiver().start()) {
            Path rules = AlertSetup.rules(dir);
            String shipped = Files.readString(Path.of("..", "alert-rules", "collector.yaml"));
            String givenUp = shipped.substring(shipped.indexOf("      - alert: NotificationsGivenUp"));
            Files.writeString(
                    rules.resolve("collector.yaml"),
                    "groups:\n  - name: collector\n    interval: 1s\n    rules:\n" + givenUp);
            String receivers = "    - {name: flaky, type: webhook, url: \"" + rejecting.url() + "\"}\n"
                    + "    - {name: good, type: webhook, url: \"" + good.url() + "\"}\n";
            String routes = "    routes:\n      - {matchers: ['alertname=\"NotificationsGivenUp\"'], receiver: good}\n";
            CollectorProcess c =
                    new CollectorProcess(dir, "give-up", AlertSetup.config(rules, receivers, routes), false);
            try (c) {
                c.start();
                Api api = new Api(c);
                api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-5"));
                JsonNode failed = api.await("/api/notifications/outbox?status=failed", rows -> rows.size() == 1);
                assertThat(failed.get(0).get("lastError").asText()).contains("rejected by the receiver: HTTP 400");
                assertThat(failed.get(0).get("attempts").asInt()).isEqualTo(1);
                JsonNode history = api.json("/api/alerts/history?event=delivery_failed");
                assertThat(history).hasSize(1);
                await("NotificationsGivenUp at the working receiver", () -> {
                    for (JsonNode n : good.accepted()) {
                        JsonNode a = n.get("alerts").get(0);
                        if (a.get("labels").get("alertname").asText().equals("NotificationsGivenUp")
                                && a.get("labels").get("receiver").asText().equals("flaky")) {
                            return true;
                        }
                    }
                    return false;
                });
                String metrics = api.get("/metrics", CollectorProcess.API_TOKEN).body();
                assertThat(metrics).contains("vigil_collector_notifications_given_up_total{receiver=\"flaky\"} 1.0");
            }
        }
    }
}
