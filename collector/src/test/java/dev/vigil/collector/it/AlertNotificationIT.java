package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real collector with webhook receivers that misbehave (connection refused, 500, slower than
 * the timeout, 429 with Retry-After) until they recover: every notification arrives, and exactly
 * once per dedup key, with its runbook link working.
 */
class AlertNotificationIT {
    @TempDir
    Path dir;

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 60 s: " + what);
    }

    private static List<String> notices(StubReceiver r) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : r.accepted()) {
            for (JsonNode a : n.get("alerts")) {
                out.add(a.get("labels").get("instance").asText() + ":"
                        + a.get("status").asText());
            }
        }
        return out;
    }

    @Test
    void misbehavingReceiversGetEveryNotificationExactlyOnce() throws Exception {
        try (StubReceiver flaky = new StubReceiver();
                StubReceiver limited = new StubReceiver()) {
            limited.then(StubReceiver.Behaviour.tooMany("1"))
                    .then(StubReceiver.Behaviour.tooMany("1"))
                    .start();
            String receivers = "    - {name: flaky, type: webhook, url: \"" + flaky.url() + "\", timeout: 1s}\n"
                    + "    - {name: limited, type: webhook, url: \"" + limited.url() + "\"}\n";
            String routes = "    routes:\n"
                    + "      - {matchers: ['severity=\"page\"'], receiver: flaky, continue: true}\n"
                    + "      - {matchers: ['severity=\"page\"'], receiver: limited}\n";
            CollectorProcess c = new CollectorProcess(
                    dir, "alert-notify", AlertSetup.config(AlertSetup.rules(dir), receivers, routes), false);
            try (c) {
                c.start();
                Api api = new Api(c);
                for (String instance : List.of("i-1", "i-2")) {
                    assertThat(api.otlp(
                                            "/v1/logs",
                                            "application/json",
                                            null,
                                            AlertSetup.heartbeat("checkout", instance))
                                    .statusCode())
                            .isEqualTo(200);
                }
                // Both instances go silent: two alerts, two groups; flaky refuses connections meanwhile.
                // One row per group and receiver; the oldest row of the dead receiver is retried (the
                // others wait behind it rather than hammering a receiver that refuses connections).
                api.await("/api/notifications/outbox?status=pending", rows -> {
                    int flakyRows = 0;
                    boolean retried = false;
                    for (JsonNode r : rows) {
                        if (r.get("receiver").asText().equals("flaky")) {
                            flakyRows++;
                            retried |= r.get("attempts").asInt() >= 2;
                        }
                    }
                    return flakyRows == 2 && retried;
                });
                JsonNode firing = api.json("/api/alerts?state=firing");
                assertThat(firing).hasSize(2);
                // flaky comes up but fails twice, then answers slower than its 1 s timeout, then recovers.
                flaky.then(StubReceiver.Behaviour.status(500))
                        .then(StubReceiver.Behaviour.status(503))
                        .then(StubReceiver.Behaviour.slow(2500))
                        .start();
                await(
                        "both firing notices at both receivers",
                        () -> notices(flaky).size() == 2 && notices(limited).size() == 2);
                // i-1 reports again: its alert resolves and the resolve notice follows.
                api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-1"));
                await(
                        "resolve notices",
                        () -> notices(flaky).contains("i-1:resolved")
                                && notices(limited).contains("i-1:resolved"));
                api.await("/api/notifications/outbox?status=pending", rows -> rows.isEmpty());

                assertThat(notices(flaky)).containsExactlyInAnyOrder("i-1:firing", "i-2:firing", "i-1:resolved");
                assertThat(notices(limited)).containsExactlyInAnyOrder("i-1:firing", "i-2:firing", "i-1:resolved");
                JsonNode sent = api.json("/api/notifications/outbox?status=sent");
                long flakyRows = 0;
                for (JsonNode r : sent) {
                    flakyRows += r.get("receiver").asText().equals("flaky") ? 1 : 0;
                }
                assertThat(flakyRows).isEqualTo(flaky.accepted().size());
                assertThat(api.json("/api/notifications/outbox?status=failed")).isEmpty();
                assertThat(flaky.requests())
                        .extracting(StubReceiver.Received::answered)
                        .contains(500, 503);
                assertThat(limited.requests())
                        .extracting(StubReceiver.Received::answered)
                        .startsWith(429, 429);

                JsonNode payload = flaky.accepted().get(0);
                assertThat(payload.get("version").asText()).isEqualTo("4");
                String runbook = payload.get("alerts")
                        .get(0)
                        .get("annotations")
                        .get("runbook_url")
                        .asText();
                assertThat(runbook).startsWith(c.apiUrl() + "/runbooks/");
                HttpResponse<String> page = api.get(runbook.substring(c.apiUrl().length()), null);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<h1>InstanceSilent</h1>", "Meaning");
                HttpResponse<String> md = api.get(runbook.substring(c.apiUrl().length()) + "?format=md", null);
                assertThat(md.body()).startsWith("# InstanceSilent");

                JsonNode history = api.json("/api/alerts/history?alertname=InstanceSilent&limit=1000");
                List<String> events = new ArrayList<>();
                history.forEach(e -> events.add(e.get("event").asText()));
                assertThat(events).contains("pending", "firing", "notified", "delivered", "resolved");
            }
        }
    }
}
