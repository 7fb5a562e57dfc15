package dev.vigil.it.apps.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service with no Vigil code at all. Started by the integration tests with the agent attached;
 * prints "READY <port>" once it serves requests.
 *
 * <p>Usage: {@code java -jar sample-service.jar <port>}
 */
public final class SampleService {
    private SampleService() {}

    public static void main(String[] args) throws IOException, SQLException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        server.setExecutor(workers);
        Calls calls = new Calls(Database.open());
        server.createContext("/hello", exchange -> respond(exchange, 200, "hello"));
        server.createContext("/fail", exchange -> {
            throw new IllegalStateException("sample failure");
        });
        server.createContext("/status", exchange -> {
            String code = query(exchange).get("code");
            int status = code == null ? 200 : Integer.parseInt(code);
            respond(exchange, status, "status " + status);
        });
        // Outgoing HTTP: /client?via=sync|async|urlconnection&to=<url>
        server.createContext("/client", exchange -> {
            Map<String, String> q = query(exchange);
            respond(exchange, 200, calls.http(q.get("via"), URI.create(q.get("to"))));
        });
        // JDBC: /db?q=statement|prepared|update|batch|fail
        server.createContext(
                "/db",
                exchange -> respond(exchange, 200, calls.db(query(exchange).get("q"))));
        // Thread hand-offs: /pool?via=submit|execute|completable|forkjoin|scheduled|virtual[&fail=1]
        server.createContext("/pool", exchange -> {
            Map<String, String> q = query(exchange);
            respond(exchange, 200, calls.pool(q.get("via"), "1".equals(q.get("fail"))));
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
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

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
