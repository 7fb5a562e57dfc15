package dev.vigil.collector.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * A decoded OTLP log record, as ingest listeners see it.
 *
 * @param instance the resource's {@code service.instance.id} (empty if absent)
 * @param severityNumber OTLP severity number (1–24; 9 INFO, 13 WARN, 17 ERROR, 21 FATAL), 0 if unset
 * @param severityText the sender's level name, e.g. {@code WARN}; empty if unset
 * @param body the body as text (non-string bodies in their JSON-like form)
 * @param attributes the record's attributes as text
 * @param traceId lower-case hex, empty if none
 */
public record LogEvent(
        String service,
        String instance,
        Instant time,
        int severityNumber,
        String severityText,
        String body,
        Map<String, String> attributes,
        String traceId) {}
