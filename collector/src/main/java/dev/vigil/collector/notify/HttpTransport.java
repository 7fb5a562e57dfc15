package dev.vigil.collector.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** {@link Transport} over the JDK HTTP client; reads at most 4 KiB of a response. */
final class HttpTransport implements Transport {
    private static final int MAX_BODY = 4096;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Override
    public Response post(String url, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        String text;
        try (InputStream in = r.body()) {
            text = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            // Drain politely so the connection can be reused, but never read an unbounded body.
            in.skip(1 << 20);
        }
        return new Response(
                r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), text);
    }
}
