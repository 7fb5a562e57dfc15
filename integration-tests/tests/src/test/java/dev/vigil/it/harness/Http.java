package dev.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests (not instrumented: it runs in the test JVM, without the agent). */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Http() {}

    public static HttpResponse<String> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    /** POSTs {@code body} (UTF-8) and returns the response. */
    public static HttpResponse<String> post(String url, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        b.timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET that returns the status, or -1 when the connection fails (server not up yet, or reset). */
    public static int status(String url) {
        try {
            return get(url).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }
}
