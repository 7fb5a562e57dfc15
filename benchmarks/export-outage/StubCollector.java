import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in collector for benchmarks/export-outage.sh, run with the JDK's source launcher:
 * {@code java StubCollector.java up|blackhole <port>}. "up" answers every request 200 with an empty
 * (valid) OTLP response after reading the body; "blackhole" accepts connections and reads, but never
 * answers, like a collector that hangs or a firewall that swallows packets after the handshake.
 */
public final class StubCollector {
    private static final byte[] OK = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        boolean up = "up".equals(args[0]);
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])), 128);
        System.out.println("READY " + args[0]);
        List<Socket> held = new ArrayList<>();
        while (true) {
            Socket socket = server.accept();
            if (up) {
                Thread t = new Thread(() -> serve(socket));
                t.setDaemon(true);
                t.start();
            } else {
                held.add(socket); // never read, never answered, never closed
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                long length = readHeaders(in);
                if (length < 0) {
                    return;
                }
                in.skipNBytes(length);
                out.write(OK);
                out.flush();
            }
        } catch (IOException ignored) {
            // the agent closed the connection
        }
    }

    /** Reads one request's headers; returns its Content-Length, or -1 at end of stream. */
    private static long readHeaders(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        long length = 0;
        boolean any = false;
        int c;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                String l = line.toString().trim();
                if (l.isEmpty()) {
                    return length;
                }
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(l.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return any ? length : -1;
    }
}
