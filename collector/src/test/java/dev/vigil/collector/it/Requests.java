package dev.vigil.collector.it;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Hand-built OTLP requests. */
final class Requests {
    private Requests() {}

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    /** One span per error type, each with an exception event whose stack trace has a distinct in-app frame. */
    static ExportTraceServiceRequest errors(String service, int firstType, int types, int repeats) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int t = firstType; t < firstType + types; t++) {
            for (int r = 0; r < repeats; r++) {
                String stack = "com.shop.Failure" + t + "Exception: failure " + t + "\n\tat com.shop.Handler" + t
                        + ".handle(Handler.java:1)\n";
                scope.addSpans(Span.newBuilder()
                        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                        .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
                        .setName("op")
                        .setStartTimeUnixNano(now)
                        .setEndTimeUnixNano(now)
                        .addEvents(Span.Event.newBuilder()
                                .setName("exception")
                                .setTimeUnixNano(now)
                                .addAttributes(attr("exception.type", "com.shop.Failure" + t + "Exception"))
                                .addAttributes(attr("exception.stacktrace", stack))));
            }
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
                        .addScopeSpans(scope))
                .build();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** {@code size} zero bytes, gzipped: a few KiB that inflate enormously. */
    static byte[] gzipBomb(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int written = 0; written < size; written += zeros.length) {
                gz.write(zeros, 0, Math.min(zeros.length, size - written));
            }
        }
        return out.toByteArray();
    }
}
