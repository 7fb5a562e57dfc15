package dev.vigil.demo.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows the collector's alerts ({@code GET /api/alerts}) every two seconds and prints a line for
 * every change of state: pending, firing (with the runbook URL), resolved. What the demo shows in
 * the terminal.
 */
final class AlertWatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final Map<String, String> states = new HashMap<>();
    private final Map<String, JsonNode> last = new HashMap<>();
    private boolean reachable = true;

    AlertWatch(URI collector, String token) {
        this.request = HttpRequest.newBuilder(collector.resolve("/api/alerts"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .build();
    }

    void run() throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            poll();
            Thread.sleep(2000);
        }
    }

    private void poll() throws InterruptedException {
        JsonNode alerts;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                say("collector answered " + response.statusCode() + ": " + response.body());
                return;
            }
            alerts = JSON.readTree(response.body());
            if (!reachable) {
                say("collector reachable again");
                reachable = true;
            }
        } catch (IOException e) {
            if (reachable) {
                say("collector unreachable: " + e);
                reachable = false;
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode alert : alerts) {
            String id = alert.path("id").asText();
            String state = alert.path("state").asText();
            seen.add(id);
            last.put(id, alert);
            if (!state.equals(states.put(id, state))) {
                print(state, alert);
            }
        }
        for (String id : Set.copyOf(states.keySet())) {
            if (!seen.contains(id)) {
                String before = states.remove(id);
                if ("firing".equals(before)) {
                    print("resolved", last.get(id));
                }
                last.remove(id);
            }
        }
    }

    private static void print(String state, JsonNode alert) {
        JsonNode labels = alert.path("labels");
        StringBuilder line = new StringBuilder();
        line.append(String.format(
                "%-9s %-24s service=%s",
                state.toUpperCase(java.util.Locale.ROOT),
                alert.path("alertname").asText(),
                labels.path("service").asText("-")));
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            String name = label.getKey();
            if (!name.equals("alertname") && !name.equals("service") && !name.equals("severity")) {
                line.append(' ')
                        .append(name)
                        .append('=')
                        .append(label.getValue().asText());
            }
        }
        JsonNode value = alert.path("value");
        if (value.isNumber()) {
            line.append(String.format(" value=%.3g", value.asDouble()));
        }
        String summary = alert.path("annotations").path("summary").asText("");
        if (!summary.isEmpty()) {
            line.append("\n          ").append(summary);
        }
        if (!"pending".equals(state)) {
            line.append("\n          runbook: ")
                    .append(alert.path("runbook_url").asText());
        }
        say(line.toString());
    }

    private static void say(String text) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
    }
}
