package dev.vigil.demo.shop;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The payments dependency: accepts every charge after a few milliseconds of "work". */
final class PaymentsServer {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentsServer.class);

    private PaymentsServer() {}

    static void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/charge", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3, 15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ShopServer.respond(exchange, 200, "{\"status\":\"charged\"}");
        });
        server.start();
        LOG.info("payments listening on {}", server.getAddress().getPort());
        System.out.println("READY " + server.getAddress().getPort());
    }
}
