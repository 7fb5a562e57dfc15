package com.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The shop: {@code GET /run?op=<operation>&...} calls one business method and answers 200 with its
 * result, or 500 with the exception's type. Prints {@code READY <port>} once it listens.
 */
public final class ShopService {
    private final OrderService orders = new OrderService();
    private final PaymentService payments = new PaymentService();
    private final Inventory inventory = new Inventory();
    private final CheckoutService checkout = new CheckoutService();
    private final Catalog catalog = new Catalog();
    private final Map<String, PaymentGateway> gateways =
            Map.of("card", new CardGateway(), "premium", new PremiumCardGateway(), "wallet", new WalletGateway());

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ShopService shop = new ShopService();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/run", shop::handle);
        server.start();
        System.out.println("READY " + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        int status = 200;
        String body;
        try {
            body = String.valueOf(run(q));
        } catch (RuntimeException e) {
            status = 500;
            body = e.getClass().getName();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Object run(Map<String, String> q) {
        String op = q.getOrDefault("op", "");
        switch (op) {
            case "order":
                String coupon = q.get("coupon");
                return orders.placeOrder(new Order(
                                q.getOrDefault("channel", "web"),
                                q.get("region"),
                                q.getOrDefault("sku", "A-1"),
                                Integer.parseInt(q.getOrDefault("qty", "1")),
                                new BigDecimal(q.getOrDefault("total", "10")),
                                coupon == null ? null : new Order.Coupon(coupon)))
                        .getStatus();
            case "authorize":
                return gateways.get(q.get("gateway")).authorize(new BigDecimal(q.get("amount")), "EUR");
            case "charge":
                return payments.charge(new BigDecimal(q.get("amount")), q.getOrDefault("currency", "EUR"));
            case "charge-default":
                return payments.charge(new BigDecimal(q.get("amount")));
            case "charge-cents":
                return payments.charge(Long.parseLong(q.get("cents")));
            case "discount":
                return Pricing.discount(Integer.parseInt(q.get("percent")), Double.parseDouble(q.get("price")));
            case "depth":
                return Pricing.depth(Integer.parseInt(q.get("levels")));
            case "reserve":
                return inventory.reserve(q.get("sku"), Integer.parseInt(q.get("qty")));
            case "checkout":
                return checkout.checkout(q.getOrDefault("cart", ""));
            case "refund":
                checkout.refund(q.get("id"));
                return "refunded";
            case "catalog-size":
                return catalog.size();
            case "lookup":
                return catalog.lookup(q.getOrDefault("sku", ""));
            case "ship":
                return checkout.ship(q.getOrDefault("sku", ""), Long.parseLong(q.getOrDefault("qty", "1")));
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
