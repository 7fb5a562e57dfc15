package dev.vigil.collector.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** Sends one POST; the HTTP implementation is {@link HttpTransport}, tests use fakes. */
interface Transport {
    /**
     * The answer of a receiver.
     *
     * @param status HTTP status
     * @param retryAfter the Retry-After header, or null
     * @param body the start of the response body, for error messages
     */
    record Response(int status, String retryAfter, String body) {}

    Response post(String url, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException;
}
