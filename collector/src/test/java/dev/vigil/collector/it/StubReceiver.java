package dev.vigil.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A webhook receiver in the test JVM. It starts "down" (its port is reserved but nobody listens:
 * connection refused), answers from a script of behaviours once up, then 200. It de-duplicates by
 * {@code Idempotency-Key} as a careful receiver does, and records every request.
 */
final class StubReceiver implements AutoCloseable {
    /** One scripted answer. */
    record Behaviour(int status, String retryAfter, long delayMillis) {
        static Behaviour status(int s) {
            return new Behaviour(s, null, 0);
        }

        static Behaviour tooMany(String retryAfter) {
            return new Behaviour(429, retryAfter, 0);
        }

        static Behaviour slow(long millis) {
            return new Behaviour(200, null, millis);
        }
    }

    /** A request as received. */
    record Received(String key, JsonNode body, int answered) {}

    final int port;
    private final Deque<Behaviour> script = new ArrayDeque<>();
    private final List<Received> requests = new ArrayList<>();
    private final Map<String, JsonNode> accepted = new LinkedHashMap<>();
    private HttpServer server;
    private Behaviour fallback = Behaviour.status(200);

    StubReceiver() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    synchronized StubReceiver then(Behaviour b) {
        script.add(b);
        return this;
    }

    /** The answer once the script is used up (200 unless set). */
    synchronized StubReceiver otherwise(Behaviour b) {
        fallback = b;
        return this;
    }

    synchronized StubReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String header = ex.getRequestHeaders().getFirst("Idempotency-Key");
        String key;
        synchronized (this) {
            // Senders without the header (Alertmanager) count every request as distinct.
            key = header != null ? header : "request-" + requests.size();
        }
        Behaviour b;
        synchronized (this) {
            b = script.isEmpty() ? fallback : script.poll();
        }
        if (b.delayMillis() > 0) {
            try {
                Thread.sleep(b.delayMillis()); // the stub plays a slow receiver; not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        JsonNode json = Api.JSON.readTree(body);
        synchronized (this) {
            requests.add(new Received(key, json, b.status()));
            if (b.status() == 200) {
                accepted.putIfAbsent(key, json);
            }
        }
        if (b.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", b.retryAfter());
        }
        byte[] answer = (b.status() == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(b.status(), answer.length);
            ex.getResponseBody().write(answer);
        } catch (IOException e) {
            // the client timed out and left; the request still counts as received
        }
        ex.close();
    }

    /** Distinct notifications accepted (by Idempotency-Key), in arrival order. */
    synchronized List<JsonNode> accepted() {
        return new ArrayList<>(accepted.values());
    }

    synchronized List<Received> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
