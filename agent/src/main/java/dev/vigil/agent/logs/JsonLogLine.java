package dev.vigil.agent.logs;

import dev.vigil.agent.errors.ErrorClassification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link LogLine} as one JSON object on one line, with logstash-logback-encoder's field
 * names ({@code @timestamp}, {@code @version}, {@code message}, {@code logger_name},
 * {@code thread_name}, {@code level}, {@code level_value}, {@code stack_trace}, MDC entries at the
 * top level) plus {@code service}, {@code trace_id}, {@code span_id} and the {@code vigil.error.*}
 * fields. Any string is valid in the output: control characters are escaped and unpaired
 * surrogates replaced, so every line parses whatever the application logged.
 */
final class JsonLogLine {
    /** Fields the MDC may not overwrite. */
    private static final Set<String> RESERVED = Set.of(
            "@timestamp",
            "@version",
            "message",
            "logger_name",
            "thread_name",
            "level",
            "level_value",
            "stack_trace",
            "service",
            "trace_id",
            "span_id");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final String service;
    private final ZoneId zone;

    JsonLogLine(String service, ZoneId zone) {
        this.service = service;
        this.zone = zone;
    }

    byte[] bytes(LogLine l) {
        return format(l).getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON object followed by a newline. */
    String format(LogLine l) {
        StringBuilder b = new StringBuilder(256 + (l.stackTrace == null ? 0 : l.stackTrace.length()));
        b.append('{');
        field(
                b,
                "@timestamp",
                TIMESTAMP.format(Instant.ofEpochMilli(l.epochMillis).atZone(zone)));
        b.append(",\"@version\":\"1\"");
        b.append(',');
        field(b, "message", l.message == null ? "" : l.message);
        b.append(',');
        field(b, "logger_name", l.loggerName == null ? "" : l.loggerName);
        b.append(',');
        field(b, "thread_name", l.threadName == null ? "" : l.threadName);
        b.append(',');
        field(b, "level", l.level.label);
        b.append(",\"level_value\":").append(l.level.levelValue);
        if (l.stackTrace != null) {
            b.append(',');
            field(b, "stack_trace", l.stackTrace);
        }
        if (l.mdc != null) {
            int n = 0;
            for (Map.Entry<String, String> e : l.mdc.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || RESERVED.contains(e.getKey()) || n++ >= 64) {
                    continue;
                }
                b.append(',');
                field(b, e.getKey(), e.getValue());
            }
        }
        b.append(',');
        field(b, "service", service);
        if (l.spanContext != null && l.spanContext.isValid()) {
            b.append(',');
            field(b, "trace_id", l.spanContext.getTraceId());
            b.append(',');
            field(b, "span_id", l.spanContext.getSpanId());
        }
        if (l.error != null) {
            ErrorClassification c = l.error.classification();
            b.append(',');
            field(b, "vigil.error.category", c.category().label());
            b.append(",\"vigil.error.retryable\":").append(c.retryable());
            b.append(',');
            field(b, "vigil.error.severity", c.severity().label());
            b.append(',');
            field(b, "vigil.error.component", c.component().label());
            b.append(',');
            field(b, "vigil.error.type", c.errorType());
            if (l.error.fingerprint() != null) {
                b.append(',');
                field(b, "vigil.error.fingerprint", l.error.fingerprint());
            }
        }
        return b.append("}\n").toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        string(b, name);
        b.append(':');
        string(b, value);
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        int plain = 0; // start of the run of characters that need no escaping, appended in one go
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
                continue;
            }
            if (c > 0x7f && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c)) {
                continue;
            }
            b.append(s, plain, i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\ufffd'); // unpaired: not encodable as UTF-8
                    } else {
                        b.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
            }
            plain = i + 1;
        }
        b.append(s, plain, s.length()).append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
