package dev.vigil.it.apps.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A service with no Vigil code at all. Started by the integration tests with the agent attached;
 * prints "READY <port>" once it serves requests.
 *
 * <p>Usage: {@code java -jar sample-service.jar <port>}
 */
public final class SampleService {
    private SampleService() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hello", exchange -> respond(exchange, 200, "hello"));
        server.createContext("/fail", exchange -> {
            throw new IllegalStateException("sample failure");
        });
        server.createContext("/status", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int code = query != null && query.startsWith("code=") ? Integer.parseInt(query.substring(5)) : 200;
            respond(exchange, code, "status " + code);
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
