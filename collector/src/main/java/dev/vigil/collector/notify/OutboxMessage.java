package dev.vigil.collector.notify;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request to deliver.
 *
 * @param dedupKey unique key: enqueueing the same key twice stores one row, and receivers get it as
 *     {@code Idempotency-Key} so that a re-send after a crash can be recognised
 * @param receiver receiver name
 * @param url where to POST
 * @param headers request headers (Content-Type included)
 * @param body request body
 * @param alertIds the alerts it is about, for the history
 */
public record OutboxMessage(
        String dedupKey, String receiver, String url, Map<String, String> headers, byte[] body, List<String> alertIds) {
    public OutboxMessage {
        headers = Map.copyOf(headers);
        alertIds = List.copyOf(alertIds);
    }
}
