package dev.vigil.demo.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shop's HTTP API. */
final class ShopServer {
    private static final Logger LOG = LoggerFactory.getLogger(ShopServer.class);

    private final Inventory inventory;
    private final OrderService orders;

    private ShopServer(Inventory inventory, OrderService orders) {
        this.inventory = inventory;
        this.orders = orders;
    }

    static void start(int port, URI payments) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Inventory inventory = new Inventory("shop");
        ShopServer shop = new ShopServer(inventory, new OrderService(inventory, new PaymentsClient(payments), pool));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/products", shop::products);
        server.createContext("/orders", shop::order);
        server.createContext("/admin/faults", ShopServer::faults);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "{\"status\":\"ok\"}"));
        server.start();
        LOG.info("shop listening on {}, payments at {}", server.getAddress().getPort(), payments);
        System.out.println("READY " + server.getAddress().getPort());
    }

    private void products(HttpExchange exchange) throws IOException {
        try {
            respond(exchange, 200, inventory.productsJson());
        } catch (java.sql.SQLException e) {
            LOG.error("listing products failed", e);
            respond(exchange, 500, "{\"error\":\"database\"}");
        }
    }

    private void order(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"POST only\"}");
            return;
        }
        Map<String, String> q = query(exchange.getRequestURI());
        Order order;
        try {
            order = new Order(
                    Integer.parseInt(q.getOrDefault("product", "1")),
                    Integer.parseInt(q.getOrDefault("qty", "1")),
                    q.getOrDefault("region", "eu"));
        } catch (NumberFormatException e) {
            respond(exchange, 400, "{\"error\":\"product and qty must be numbers\"}");
            return;
        }
        try {
            long id = orders.placeOrder(order);
            respond(exchange, 201, "{\"id\":" + id + "}");
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, "{\"error\":\"" + e.getMessage().replace('"', '\'') + "\"}");
        } catch (ConnectException | HttpTimeoutException | PaymentsClient.PaymentDeclinedException e) {
            LOG.warn("payment could not be taken: {}", e.toString());
            respond(exchange, 503, "{\"error\":\"payments unavailable\"}");
        } catch (Exception e) {
            LOG.error("placing an order failed", e);
            respond(exchange, 500, "{\"error\":\"internal\"}");
        }
    }

    private static void faults(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("POST".equals(exchange.getRequestMethod()) && path.startsWith("/admin/faults/")) {
            String name = path.substring("/admin/faults/".length());
            boolean on = !"false".equals(query(exchange.getRequestURI()).get("on"));
            try {
                Faults.set(name, on);
            } catch (IllegalArgumentException e) {
                respond(exchange, 404, "{\"error\":\"" + e.getMessage() + "\"}");
                return;
            }
            LOG.info("fault {} switched {}", name, on ? "on" : "off");
        }
        respond(exchange, 200, Faults.snapshot().toString());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
