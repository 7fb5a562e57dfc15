package dev.vigil.collector.it;

import static dev.vigil.collector.it.AlertNotificationIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector pushes to a real Alertmanager (Debian's {@code prometheus-alertmanager}, installed
 * by scripts/install-test-deps.sh), which routes to a webhook: the alert arrives with its
 * {@code runbook_url}, the link serves the runbook, and the resolve follows.
 */
class AlertmanagerIT {
    @TempDir
    Path dir;

    private static String alertmanagerBinary() {
        for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (Files.isExecutable(Path.of(p, name))) {
                    return Path.of(p, name).toString();
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void alertmanagerReceivesTheAlertWithItsRunbookAndTheResolve() throws Exception {
        String binary = alertmanagerBinary();
        assumeTrue(binary != null, "Alertmanager is not installed; run scripts/install-test-deps.sh");
        try (StubReceiver sink = new StubReceiver().start()) {
            int amPort = freePort();
            Path amDir = Files.createDirectories(dir.resolve("alertmanager"));
            Files.writeString(
                    amDir.resolve("alertmanager.yml"),
                    "route:\n  receiver: sink\n  group_by: [alertname, instance]\n"
                            + "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: sink\n"
                            + "    webhook_configs:\n      - url: " + sink.url() + "\n        send_resolved: true\n");
            Path amLog = Path.of(System.getProperty("vigil.it.logs", "target/it-logs"))
                    .resolve("alertmanager.log");
            Files.createDirectories(amLog.getParent());
            Process am = new ProcessBuilder(
                            binary,
                            "--config.file=" + amDir.resolve("alertmanager.yml"),
                            "--storage.path=" + amDir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + amPort,
                            "--cluster.listen-address=")
                    .redirectErrorStream(true)
                    .redirectOutput(amLog.toFile())
                    .start();
            String amUrl = "http://127.0.0.1:" + amPort;
            try {
                HttpClient http = HttpClient.newHttpClient();
                await("Alertmanager is ready", () -> {
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(URI.create(amUrl + "/-/ready"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
                String receivers = "    - {name: am, type: alertmanager, urls: [\"" + amUrl + "\"]}\n"
                        + "    - {name: flaky, type: webhook, url: \"" + sink.url() + "/unused\"}\n";
                CollectorProcess c = new CollectorProcess(
                        dir.resolve("collector"),
                        "alertmanager",
                        AlertSetup.config(AlertSetup.rules(dir), receivers, ""),
                        false);
                try (c) {
                    c.start();
                    Api api = new Api(c);
                    api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-am"));
                    await("Alertmanager forwards the firing alert", () -> statuses(sink)
                            .contains("firing"));
                    JsonNode alerts = Api.JSON.readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                    assertThat(alerts).hasSize(1);
                    JsonNode alert = alerts.get(0);
                    assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("InstanceSilent");
                    assertThat(alert.get("labels").get("instance").asText()).isEqualTo("i-am");
                    String runbook = alert.get("annotations").get("runbook_url").asText();
                    assertThat(runbook).startsWith(c.apiUrl() + "/runbooks/");
                    assertThat(alert.get("annotations").get("summary").asText())
                            .isEqualTo("checkout instance i-am went silent");
                    HttpResponse<String> page =
                            api.get(runbook.substring(c.apiUrl().length()), null);
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("<h1>InstanceSilent</h1>");

                    api.otlp("/v1/logs", "application/json", null, AlertSetup.heartbeat("checkout", "i-am"));
                    await("Alertmanager forwards the resolve", () -> statuses(sink)
                            .contains("resolved"));
                }
            } finally {
                am.destroy();
                if (!am.waitFor(10, TimeUnit.SECONDS)) {
                    am.destroyForcibly();
                }
            }
        }
    }

    private static List<String> statuses(StubReceiver sink) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : sink.accepted()) {
            // Alertmanager's own webhook (receiver "sink"), not the collector's direct one ("flaky").
            if (n.path("receiver").asText().equals("sink")) {
                out.add(n.get("status").asText());
            }
        }
        return out;
    }
}
