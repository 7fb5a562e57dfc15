package dev.vigil.collector.it;

import static dev.vigil.collector.it.AlertNotificationIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the collector while notifications wait in the outbox (the receiver is down):
 * after a restart they are delivered, exactly once per dedup key, the alert is still firing
 * without being notified again, and its resolve is still sent.
 */
class AlertCrashRecoveryIT {
    @TempDir
    Path dir;

    private static int instancesPersisted(CollectorProcess c) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + c.dir.resolve("data/vigil.db"));
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM instances")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            return 0; // not created yet, or busy: ask again
        }
    }

    @Test
    void pendingNotificationsSurviveKillDashNine() throws Exception {
        try (StubReceiver hook = new StubReceiver()) {
            String receivers = "    - {name: flaky, type: webhook, url: \"" + hook.url() + "\", timeout: 1s}\n";
            CollectorProcess c = new CollectorProcess(
                    dir, "alert-crash", AlertSetup.config(AlertSetup.rules(dir), receivers, ""), false);
            try (c) {
                c.start();
                Api api = new Api(c);
                api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-9"));
                api.await(
                        "/api/notifications/outbox?status=pending",
                        rows -> rows.size() == 1 && rows.get(0).get("attempts").asInt() >= 1);
                String alertId =
                        api.json("/api/alerts?state=firing").get(0).get("id").asText();
                // Heartbeats are written every 5 s; wait until this one is, so that the restarted
                // collector still knows the instance (and the alert stays firing).
                await("the heartbeat is persisted", () -> instancesPersisted(c) > 0);
                c.kill9();

                hook.start();
                c.start();
                await("the firing notice after restart", () -> hook.accepted().size() == 1);
                assertThat(api.json("/api/alerts/" + alertId).get("state").asText())
                        .isEqualTo("firing");
                api.await("/api/notifications/outbox?status=pending", rows -> rows.isEmpty());

                api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-9"));
                await("the resolve notice", () -> hook.accepted().size() == 2);
                List<String> statuses = new ArrayList<>();
                for (JsonNode n : hook.accepted()) {
                    statuses.add(n.get("status").asText());
                }
                assertThat(statuses).containsExactly("firing", "resolved");
                JsonNode sent = api.json("/api/notifications/outbox?status=sent");
                assertThat(sent).hasSize(2);
            }
        }
    }
}
