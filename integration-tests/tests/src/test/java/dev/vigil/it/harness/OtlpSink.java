package dev.vigil.it.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver run inside the test: decodes what the agent sends with the official
 * protobuf classes, so the tests check the wire format, not the agent's own view of it.
 */
public final class OtlpSink implements AutoCloseable {
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
    private final List<ResourceMetrics> metrics = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int responseStatus = 200;
    private volatile String retryAfter;

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    public static OtlpSink start() {
        return start(0);
    }

    public static OtlpSink start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            OtlpSink sink = new OtlpSink(server);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", sink::handle);
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL for {@code vigil.collector.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Makes the sink answer every request with this status (e.g. 503) and optional Retry-After. */
    public void respondWith(int status, String retryAfterHeader) {
        this.responseStatus = status;
        this.retryAfter = retryAfterHeader;
    }

    public int requestCount() {
        return requests.get();
    }

    /** Every request so far: path, the status answered and when it arrived. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Map<String, String>> requestHeaders() {
        return List.copyOf(requestHeaders);
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedLog> logs() {
        return List.copyOf(logs);
    }

    public List<ResourceMetrics> metrics() {
        return List.copyOf(metrics);
    }

    /** Waits until at least one span matches and returns the first match. */
    public ReceivedSpan awaitSpan(Predicate<ReceivedSpan> match, Duration timeout) {
        Wait.until(timeout, "a matching span", () -> spans.stream().anyMatch(match), this::describeSpans);
        return spans.stream().filter(match).findFirst().orElseThrow();
    }

    public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> match, int count, Duration timeout) {
        Wait.until(
                timeout,
                count + " matching spans",
                () -> spans.stream().filter(match).count() >= count,
                this::describeSpans);
        return spans.stream().filter(match).collect(Collectors.toList());
    }

    public ReceivedLog awaitLog(Predicate<ReceivedLog> match, Duration timeout) {
        Wait.until(
                timeout, "a matching log record", () -> logs.stream().anyMatch(match), () -> "received logs: " + logs);
        return logs.stream().filter(match).findFirst().orElseThrow();
    }

    public String describeSpans() {
        return "received spans:\n" + spans.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        requestHeaders.add(headers);
        long arrived = System.nanoTime();
        int status = responseStatus;
        received.add(new Received(exchange.getRequestURI().getPath(), status, arrived));
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (status != 200) {
                if (retryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            InputStream in = new ByteArrayInputStream(body);
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            byte[] response;
            switch (exchange.getRequestURI().getPath()) {
                case "/v1/traces":
                    record(ExportTraceServiceRequest.parseFrom(in));
                    response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    break;
                case "/v1/logs":
                    record(ExportLogsServiceRequest.parseFrom(in));
                    response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
                    break;
                case "/v1/metrics":
                    metrics.addAll(ExportMetricsServiceRequest.parseFrom(in).getResourceMetricsList());
                    response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                    break;
                default:
                    exchange.sendResponseHeaders(404, -1);
                    return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        } catch (RuntimeException | IOException e) {
            exchange.sendResponseHeaders(400, -1);
        }
    }

    private void record(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, String> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans.add(new ReceivedSpan(resource, ss.getScope().getName(), span));
                }
            }
        }
    }

    private void record(ExportLogsServiceRequest request) {
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Map<String, String> resource = attributes(rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord record : sl.getLogRecordsList()) {
                    logs.add(new ReceivedLog(resource, record));
                }
            }
        }
    }

    /** Attribute values rendered as strings (ints and booleans in their decimal/text form). */
    public static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), render(kv.getValue()));
        }
        return out;
    }

    static String render(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case INT_VALUE:
                return Long.toString(v.getIntValue());
            case BOOL_VALUE:
                return Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE:
                return Double.toString(v.getDoubleValue());
            case ARRAY_VALUE:
                return v.getArrayValue().getValuesList().stream()
                        .map(OtlpSink::render)
                        .collect(Collectors.joining(",", "[", "]"));
            default:
                return v.toString();
        }
    }

    static String hex(com.google.protobuf.ByteString bytes) {
        return bytes.isEmpty() ? "" : HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** One request as the sink saw it. */
    public static final class Received {
        public final String path;
        public final int status;
        public final long nanoTime;

        Received(String path, int status, long nanoTime) {
            this.path = path;
            this.status = status;
            this.nanoTime = nanoTime;
        }

        @Override
        public String toString() {
            return path + " -> " + status;
        }
    }

    /** One received span with its resource. */
    public static final class ReceivedSpan {
        public final Map<String, String> resource;
        public final String scope;
        public final Span span;
        public final Map<String, String> attributes;

        ReceivedSpan(Map<String, String> resource, String scope, Span span) {
            this.resource = resource;
            this.scope = scope;
            this.span = span;
            this.attributes = attributes(span.getAttributesList());
        }

        public String name() {
            return span.getName();
        }

        public Span.SpanKind kind() {
            return span.getKind();
        }

        public String traceId() {
            return hex(span.getTraceId());
        }

        public String spanId() {
            return hex(span.getSpanId());
        }

        public String parentSpanId() {
            return hex(span.getParentSpanId());
        }

        public String attr(String key) {
            return attributes.get(key);
        }

        public boolean isError() {
            return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
        }

        public List<Map<String, String>> events(String name) {
            List<Map<String, String>> out = new ArrayList<>();
            for (Span.Event e : span.getEventsList()) {
                if (e.getName().equals(name)) {
                    out.add(attributes(e.getAttributesList()));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return kind() + " '" + name() + "' trace=" + traceId() + " span=" + spanId() + " parent=" + parentSpanId()
                    + " " + attributes + (isError() ? " ERROR" : "");
        }
    }

    /** One received log record with its resource. */
    public static final class ReceivedLog {
        public final Map<String, String> resource;
        public final LogRecord record;
        public final Map<String, String> attributes;

        ReceivedLog(Map<String, String> resource, LogRecord record) {
            this.resource = resource;
            this.record = record;
            this.attributes = attributes(record.getAttributesList());
        }

        public String body() {
            return render(record.getBody());
        }

        public String traceId() {
            return hex(record.getTraceId());
        }

        @Override
        public String toString() {
            return record.getSeverityText() + " '" + body() + "' trace=" + traceId() + " " + attributes;
        }
    }
}
