import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generic-webhook receiver for benchmarks/alert-latency.sh, run with the JDK's source launcher:
 * {@code java WebhookReceiver.java <port>}. Answers every POST 200 and prints one line per
 * notification, {@code <epoch ms of arrival> <status> <alertname>}, read from the Alertmanager
 * webhook payload (version 4) the collector sends: its top-level {@code status} comes before the
 * alerts' own, and {@code groupLabels} holds the alert name.
 */
public final class WebhookReceiver {
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern ALERTNAME = Pattern.compile("\"alertname\"\\s*:\\s*\"(\\w+)\"");

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 16);
        server.createContext("/", exchange -> {
            // Arrival: the request line and headers are in; the time is taken before the body is read.
            long arrived = System.currentTimeMillis();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            System.out.println(arrived + " " + first(STATUS, body) + " " + first(ALERTNAME, body));
            System.out.flush();
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    private static String first(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : "unknown";
    }
}
