package dev.vigil.collector.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One notification target.
 *
 * @param name unique name that routes refer to
 * @param type which API it speaks
 * @param urls endpoints (Alertmanager: one per instance; others: exactly one)
 * @param headers extra HTTP headers (tokens)
 * @param routingKey PagerDuty integration key
 * @param timeout timeout of one delivery attempt
 */
public record ReceiverConfig(
        String name, Type type, List<String> urls, Map<String, String> headers, String routingKey, Duration timeout) {

    public enum Type {
        ALERTMANAGER,
        WEBHOOK,
        SLACK,
        PAGERDUTY
    }

    public static final String PAGERDUTY_DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

    public ReceiverConfig {
        urls = List.copyOf(urls);
        headers = Map.copyOf(headers);
    }
}
