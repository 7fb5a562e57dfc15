package dev.vigil.agent.export;

import dev.vigil.agent.bootstrap.Suppression;
import dev.vigil.agent.core.AgentThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one OTLP/HTTP protobuf request and classifies the outcome. Runs on agent threads only,
 * inside {@link Suppression} so the agent's own HTTP calls are never traced.
 */
public final class OtlpHttpSender implements OtlpTransport {
    private static final int MAX_ERROR_BODY = 512;

    private final HttpClient client;
    private final String endpoint;
    private final Duration timeout;
    private final boolean gzip;
    private final String[] headers;

    public OtlpHttpSender(
            String endpoint, String token, Map<String, String> extraHeaders, Duration timeout, boolean gzip) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.gzip = gzip;
        java.util.List<String> h = new java.util.ArrayList<>();
        h.add("Content-Type");
        h.add("application/x-protobuf");
        h.add("User-Agent");
        h.add("vigil-agent/" + dev.vigil.agent.core.AgentVersion.get());
        if (gzip) {
            h.add("Content-Encoding");
            h.add("gzip");
        }
        if (token != null && !token.isEmpty()) {
            h.add("Authorization");
            h.add("Bearer " + token);
        }
        if (extraHeaders != null) {
            for (Map.Entry<String, String> e : extraHeaders.entrySet()) {
                h.add(e.getKey());
                h.add(e.getValue());
            }
        }
        this.headers = h.toArray(new String[0]);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(Executors.newCachedThreadPool(AgentThreads.factory("otlp-http")))
                .build();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** Sends the protobuf body of one export request; never throws. */
    @Override
    public SendResult send(Signal signal, byte[] protobuf) {
        Suppression.enter();
        try {
            byte[] body = gzip ? gzip(protobuf) : protobuf;
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + signal.path()))
                    .timeout(timeout)
                    .headers(headers)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            long retryAfter = response.headers()
                    .firstValue("Retry-After")
                    .map(OtlpHttpSender::parseRetryAfter)
                    .orElse(-1L);
            String errorBody = null;
            if (status >= 300) {
                byte[] b = response.body();
                errorBody = b == null
                        ? ""
                        : new String(b, 0, Math.min(b.length, MAX_ERROR_BODY), StandardCharsets.UTF_8)
                                .replaceAll("[\\p{Cntrl}&&[^\n]]", "?");
            }
            return SendResult.ofStatus(status, retryAfter, errorBody);
        } catch (HttpConnectTimeoutException e) {
            return SendResult.retryable(0, -1, "connect: timeout connecting to " + endpoint);
        } catch (HttpTimeoutException e) {
            return SendResult.retryable(0, -1, "timeout: no answer from " + endpoint + " within " + timeout);
        } catch (ConnectException e) {
            return SendResult.retryable(0, -1, "connect: cannot connect to " + endpoint);
        } catch (IOException e) {
            return SendResult.retryable(0, -1, "io: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retryable(0, -1, "interrupted");
        } catch (RuntimeException e) {
            return SendResult.permanent(0, "client: " + e);
        } finally {
            Suppression.exit();
        }
    }

    /** Retry-After as delta-seconds or an HTTP date, in milliseconds from now; -1 when unparseable. */
    static long parseRetryAfter(String value) {
        return parseRetryAfter(value, System.currentTimeMillis());
    }

    static long parseRetryAfter(String value, long nowMillis) {
        String v = value.trim();
        try {
            long seconds = Math.max(0, Long.parseLong(v));
            return seconds >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - nowMillis);
            } catch (RuntimeException notDate) {
                return -1;
            }
        }
    }

    /**
     * Gzip at the fastest level: on a busy service the compression of span batches runs on the same
     * cores as the application, and level 1 costs about a third of the default level's CPU for a body
     * only slightly larger (OTLP protobuf repeats the same keys and values, which any level removes).
     */
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (FastGzipStream gz = new FastGzipStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static final class FastGzipStream extends GZIPOutputStream {
        FastGzipStream(ByteArrayOutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
