package dev.vigil.collector.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Base64;

/**
 * OTLP/JSON writes trace and span ids as hex, where protobuf's JSON mapping expects base64.
 * Hex digits are valid base64, so the generic parser accepts them and yields the wrong bytes
 * (24 for a trace id, 12 for a span id); encoding those back to base64 gives the original hex
 * text exactly, which is then decoded as hex. Ids of the right length (a sender that used base64)
 * are left alone.
 */
final class OtlpJsonIds {
    private OtlpJsonIds() {}

    static ExportTraceServiceRequest fix(ExportTraceServiceRequest request) {
        ExportTraceServiceRequest.Builder b = request.toBuilder();
        for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                for (Span.Builder span : ss.getSpansBuilderList()) {
                    span.setTraceId(id(span.getTraceId(), 16));
                    span.setSpanId(id(span.getSpanId(), 8));
                    span.setParentSpanId(id(span.getParentSpanId(), 8));
                    for (Span.Link.Builder link : span.getLinksBuilderList()) {
                        link.setTraceId(id(link.getTraceId(), 16));
                        link.setSpanId(id(link.getSpanId(), 8));
                    }
                }
            }
        }
        return b.build();
    }

    static ExportLogsServiceRequest fix(ExportLogsServiceRequest request) {
        ExportLogsServiceRequest.Builder b = request.toBuilder();
        for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
            for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
                for (LogRecord.Builder r : sl.getLogRecordsBuilderList()) {
                    r.setTraceId(id(r.getTraceId(), 16));
                    r.setSpanId(id(r.getSpanId(), 8));
                }
            }
        }
        return b.build();
    }

    /** @throws IllegalArgumentException if the id is neither hex nor base64 of {@code size} bytes */
    static ByteString id(ByteString parsed, int size) {
        if (parsed.isEmpty() || parsed.size() == size) {
            return parsed;
        }
        if (parsed.size() * 4 / 3 == size * 2) {
            String hex = Base64.getEncoder().encodeToString(parsed.toByteArray());
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                int hi = Character.digit(hex.charAt(2 * i), 16);
                int lo = Character.digit(hex.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("an id is not hex: " + hex);
                }
                out[i] = (byte) (hi << 4 | lo);
            }
            return ByteString.copyFrom(out);
        }
        throw new IllegalArgumentException("an id must be " + (size * 2) + " hex digits");
    }
}
