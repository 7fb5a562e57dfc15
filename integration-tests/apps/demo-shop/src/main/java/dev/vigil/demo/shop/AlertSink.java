package dev.vigil.demo.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a paging tool: receives webhook notifications in Alertmanager's payload version 4
 * (from Alertmanager, or from the collector's own webhook receiver) on {@code POST /alerts} and
 * prints one line per alert and status change: the receiver that delivered it, the alert's name,
 * service, severity and runbook.
 * Payloads it cannot read are answered 400 and printed, so a broken sender is visible.
 */
final class AlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> printed = new ConcurrentHashMap<>();

    private AlertSink() {}

    static void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/alerts", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                JsonNode payload = JSON.readTree(body);
                String receiver = payload.path("receiver").asText("?");
                for (JsonNode alert : payload.path("alerts")) {
                    // Senders repeat a group's alerts on every update of the group: print each change once.
                    String key = receiver
                            + '/'
                            + alert.path("fingerprint")
                                    .asText(alert.path("labels").toString());
                    String status = alert.path("status").asText();
                    if (status.equals(printed.put(key, status))) {
                        continue;
                    }
                    System.out.printf(
                            "%s WEBHOOK %-15s %-8s %-24s service=%s severity=%s runbook_url=%s%n",
                            LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                            receiver,
                            status,
                            alert.path("labels").path("alertname").asText(),
                            alert.path("labels").path("service").asText("-"),
                            alert.path("labels").path("severity").asText("-"),
                            alert.path("annotations").path("runbook_url").asText("(none)"));
                }
                ShopServer.respond(exchange, 200, "{}");
            } catch (IOException e) {
                System.out.println("ALERTMANAGER unreadable payload: " + e.getMessage());
                ShopServer.respond(exchange, 400, "{\"error\":\"not JSON\"}");
            }
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }
}
