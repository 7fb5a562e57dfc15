package dev.vigil.it.apps.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Logs through the Log4j 2 API and core with its own log4j2.xml. /work logs INFO and answers the trace id
 * it reads from the ThreadContext; /fail logs an ERROR with an exception and answers 500; /crash lets a
 * thread die of an uncaught exception, which the app's own default handler reports; /hostile logs an
 * exception built to break whoever prints it.
 */
public final class Log4j2App {
    private static final Logger LOG = LogManager.getLogger(Log4j2App.class);

    private Log4j2App() {}

    public static void main(String[] args) throws IOException {
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> System.out.println("APP HANDLER " + t.getName() + ": " + e.getMessage()));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        server.createContext("/work", exchange -> {
            LOG.info("working on order 42 for ann@example.com");
            respond(exchange, 200, String.valueOf(ThreadContext.get("trace_id")));
        });
        server.createContext("/fail", exchange -> {
            try {
                new PaymentService().charge();
            } catch (IllegalStateException e) {
                LOG.error("payment failed for order {}", 42, e);
            }
            respond(exchange, 500, "failed");
        });
        server.createContext("/hostile", exchange -> {
            LOG.error("hostile \u0007 bell \ud83d\ude00 \udc00 end", new Hostile());
            respond(exchange, 200, "survived");
        });
        server.createContext("/crash", exchange -> {
            Thread worker = new Thread(
                    () -> {
                        throw new IllegalArgumentException("bad input on worker");
                    },
                    "crashing-worker");
            worker.start();
            respond(exchange, 200, "crashing");
        });
        server.start();
        // tells a test whether -Dlog4j2.contextSelector made every logger asynchronous
        System.out.println(
                "LOG4J CONTEXT " + LogManager.getContext(false).getClass().getSimpleName());
        System.out.println("READY " + args[0]);
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * What a badly behaved library may throw: control characters and an unpaired surrogate in the
     * message, a cause cycle through an exception without a message, and a 10,000-frame trace.
     */
    static final class Hostile extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final RuntimeException partner;

        Hostile() {
            super("bad \u0000 \u001b[31m \ud800 \"quoted\" \n second line");
            StackTraceElement[] frames = new StackTraceElement[10_000];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new StackTraceElement("dev.vigil.it.apps.logs.Deep", "level" + i, "Deep.java", i + 1);
            }
            setStackTrace(frames);
            partner = new RuntimeException((String) null, this);
        }

        @Override
        public synchronized Throwable getCause() {
            return partner;
        }
    }

    static final class PaymentService {
        void charge() {
            try {
                throw new SQLException("could not serialize access due to concurrent update", "40001");
            } catch (SQLException e) {
                throw new IllegalStateException("charge failed", e);
            }
        }
    }
}
