package dev.vigil.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.agent.bootstrap.Suppression;
import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Serves {@code /metrics} in the Prometheus text format (or OpenMetrics when asked) on its own
 * port. If the port is taken the agent logs why and runs without the endpoint; the host app is
 * never affected.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private static final AgentLog LOG = AgentLog.get(PrometheusEndpoint.class);
    private static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the endpoint, or returns null (after logging the reason) if it cannot listen. */
    public static PrometheusEndpoint start(String host, int port, AgentMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot serve /metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "); set vigil.metrics.port to a free port, or 0 to turn the endpoint off");
            return null;
        }
        ThreadFactory base = AgentThreads.factory("metrics-http");
        // Every thread of this server runs suppressed: the agent does not trace its own endpoint.
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> base.newThread(() -> {
            Suppression.enter();
            task.run();
        }));
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, metrics));
        server.start();
        LOG.info("serving Prometheus metrics on http://" + host + ":"
                + server.getAddress().getPort() + "/metrics");
        return new PrometheusEndpoint(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, AgentMetrics metrics) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (!"/metrics".equals(path) && !"/metrics/".equals(path)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found; metrics are at /metrics\n");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType =
                    accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_004;
            respond(exchange, 200, contentType, metrics.scrape(contentType));
        } catch (RuntimeException e) {
            LOG.warnOnce("scrape", "scrape failed", e);
            respond(exchange, 500, "text/plain; charset=utf-8", "scrape failed: " + e + "\n");
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
