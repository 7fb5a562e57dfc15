package dev.vigil.bench.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Sends realistic OTLP/HTTP batches to a running collector as fast as it answers, from a few
 * connections, for a fixed time, and prints what was accepted per second. Batches are built and
 * gzipped once before the clock starts, so the driver spends its CPU on sending only.
 *
 * <p>Traces: 512 spans per request, each with 15 attributes, 2% of them with an exception event
 * (10 distinct error types, so error groups are written). Logs: 512 log records per request,
 * 6 attributes each, 5% with an exception.
 *
 * <p>Usage: {@code IngestLoadDriver <otlp base url> <token> <traces|logs> <seconds> <connections>}
 */
public final class IngestLoadDriver {
    static final int BATCH = 512;

    private IngestLoadDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: IngestLoadDriver <otlp base url> <token> <traces|logs> <seconds> <connections>");
            System.exit(2);
        }
        String base = args[0];
        String token = args[1];
        String signal = args[2];
        long seconds = Long.parseLong(args[3]);
        int connections = Integer.parseInt(args[4]);
        List<byte[]> bodies = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 16; i++) {
            bodies.add(gzip(
                    signal.equals("logs")
                            ? logs(random, i).toByteArray()
                            : traces(random, i).toByteArray()));
        }
        URI uri = URI.create(base + (signal.equals("logs") ? "/v1/logs" : "/v1/traces"));
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            Thread t = new Thread(
                    () -> {
                        HttpClient http = HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .build();
                        int n = offset;
                        while (System.nanoTime() < deadline) {
                            byte[] body = bodies.get(n++ % bodies.size());
                            HttpRequest req = HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/x-protobuf")
                                    .header("Content-Encoding", "gzip")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build();
                            try {
                                HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                                (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                            } catch (IOException e) {
                                failed.incrementAndGet();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    },
                    "load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long items = ok.get() * BATCH;
        System.out.printf(
                "signal=%s connections=%d seconds=%.1f requests_ok=%d requests_failed=%d items_per_second=%.0f"
                        + " gzip_request_bytes=%d%n",
                signal, connections, elapsed, ok.get(), failed.get(), items / elapsed, bodies.get(0).length);
    }

    static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static KeyValue attr(String k, long v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setIntValue(v))
                .build();
    }

    static Resource resource(int i) {
        return Resource.newBuilder()
                .addAttributes(attr("service.name", "bench-shop"))
                .addAttributes(attr("service.instance.id", "instance-" + (i % 4)))
                .addAttributes(attr("host.name", "bench-host"))
                .addAttributes(attr("telemetry.distro.name", "vigil"))
                .addAttributes(attr("telemetry.distro.version", "0.1.0"))
                .build();
    }

    static ExportTraceServiceRequest traces(Random random, int batch) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < BATCH; i++) {
            byte[] traceId = new byte[16];
            byte[] spanId = new byte[8];
            random.nextBytes(traceId);
            random.nextBytes(spanId);
            Span.Builder s = Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(traceId))
                    .setSpanId(ByteString.copyFrom(spanId))
                    .setName("GET /orders/{id}")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(now - 5_000_000)
                    .setEndTimeUnixNano(now)
                    .addAttributes(attr("http.request.method", "GET"))
                    .addAttributes(attr("http.route", "/orders/{id}"))
                    .addAttributes(attr("http.response.status_code", 200))
                    .addAttributes(attr("url.path", "/orders/" + random.nextInt(100_000)))
                    .addAttributes(attr("url.scheme", "http"))
                    .addAttributes(attr("server.address", "shop.internal"))
                    .addAttributes(attr("server.port", 8080))
                    .addAttributes(attr("client.address", "10.0.0." + random.nextInt(255)))
                    .addAttributes(attr("network.protocol.version", "1.1"))
                    .addAttributes(attr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench"))
                    .addAttributes(attr("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
                    .addAttributes(attr("thread.id", random.nextInt(500)))
                    .addAttributes(attr("code.function", "get"))
                    .addAttributes(attr("code.namespace", "com.shop.OrderController"))
                    .addAttributes(attr("shop.customer.tier", "gold"));
            if (random.nextInt(100) < 2) {
                int type = random.nextInt(10);
                s.addEvents(
                        Span.Event.newBuilder()
                                .setName("exception")
                                .setTimeUnixNano(now)
                                .addAttributes(attr("exception.type", "com.shop.Failure" + type + "Exception"))
                                .addAttributes(attr("exception.message", "order " + random.nextInt(1000) + " failed"))
                                .addAttributes(
                                        attr(
                                                "exception.stacktrace",
                                                "com.shop.Failure" + type + "Exception: order failed\n"
                                                        + "\tat com.shop.OrderService.load(OrderService.java:"
                                                        + (10 + type) + ")\n"
                                                        + "\tat com.shop.OrderController.get(OrderController.java:20)\n"
                                                        + "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:1)\n")));
            }
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder().setResource(resource(batch)).addScopeSpans(scope))
                .build();
    }

    static ExportLogsServiceRequest logs(Random random, int batch) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < BATCH; i++) {
            LogRecord.Builder r = LogRecord.newBuilder()
                    .setTimeUnixNano(now)
                    .setSeverityNumberValue(13)
                    .setSeverityText("WARN")
                    .setBody(AnyValue.newBuilder()
                            .setStringValue("slow response from payments: " + random.nextInt(5000) + " ms"))
                    .addAttributes(attr("logger.name", "com.shop.PaymentClient"))
                    .addAttributes(attr("thread.name", "worker-" + random.nextInt(50)))
                    .addAttributes(attr("code.function", "charge"))
                    .addAttributes(attr("order.id", Integer.toString(random.nextInt(100_000))))
                    .addAttributes(attr("http.route", "/orders/{id}"))
                    .addAttributes(attr("shop.customer.tier", "gold"));
            if (random.nextInt(100) < 5) {
                r.setSeverityNumberValue(17)
                        .setSeverityText("ERROR")
                        .addAttributes(attr("exception.type", "java.net.SocketTimeoutException"))
                        .addAttributes(
                                attr(
                                        "exception.stacktrace",
                                        "java.net.SocketTimeoutException: Read timed out\n\tat com.shop.PaymentClient.charge(PaymentClient.java:42)\n"));
            }
            scope.addLogRecords(r);
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder().setResource(resource(batch)).addScopeLogs(scope))
                .build();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
