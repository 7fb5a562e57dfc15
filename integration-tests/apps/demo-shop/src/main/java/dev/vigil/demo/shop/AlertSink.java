package dev.vigil.demo.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * A stand-in for a paging tool: receives Alertmanager webhook notifications (payload version 4) on
 * {@code POST /alerts} and prints one line per alert with its status, name, service and runbook.
 * Payloads it cannot read are answered 400 and printed, so a broken sender is visible.
 */
final class AlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertSink() {}

    static void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/alerts", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                JsonNode alerts = JSON.readTree(body).path("alerts");
                for (JsonNode alert : alerts) {
                    System.out.printf(
                            "%s ALERTMANAGER %-8s %-24s service=%s severity=%s runbook_url=%s%n",
                            LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                            alert.path("status").asText(),
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
