package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.errors.ErrorGroup;
import dev.vigil.collector.instances.Instance;
import dev.vigil.collector.instances.InstanceState;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryIngestTest {
    @TempDir
    Path dir;

    IngestFixture f;

    @BeforeEach
    void open() {
        f = new IngestFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static Resource resource() {
        return Resource.newBuilder()
                .addAttributes(attr("service.name", "shop"))
                .addAttributes(attr("service.instance.id", "i-1"))
                .addAttributes(attr("host.name", "h1"))
                .addAttributes(attr("telemetry.distro.name", "vigil"))
                .addAttributes(attr("telemetry.distro.version", "0.1.0"))
                .build();
    }

    @Test
    void otlpJsonSpanWithHexIdsBecomesAnErrorGroupWithThatTraceId() throws Exception {
        String json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
                 "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                  "name":"GET /x","kind":2,"startTimeUnixNano":"1772366400000000000","endTimeUnixNano":"1772366400100000000",
                  "events":[{"name":"exception","timeUnixNano":"1772366400050000000","attributes":[
                   {"key":"exception.type","value":{"stringValue":"java.io.UncheckedIOException"}},
                   {"key":"exception.message","value":{"stringValue":"disk full"}},
                   {"key":"vigil.error.fingerprint","value":{"stringValue":"0123456789abcdef"}},
                   {"key":"vigil.error.category","value":{"stringValue":"resource_exhausted"}},
                   {"key":"vigil.error.retryable","value":{"boolValue":false}}]}]}]}]}]}
                """;
        ExportTraceServiceRequest r = OtlpJsonIds.fix(OtlpCodec.decode(
                        json.getBytes(StandardCharsets.UTF_8),
                        OtlpCodec.Format.JSON,
                        ExportTraceServiceRequest.newBuilder())
                .build());
        assertThat(r.getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getTraceId()
                        .size())
                .isEqualTo(16);
        f.ingest.traces(r).durable().get(10, TimeUnit.SECONDS);

        ErrorGroup g = f.errors.find("shop", "0123456789abcdef").orElseThrow();
        assertThat(g.traceIds()).containsExactly("5b8efff798038103d269b633813fc60c");
        assertThat(g.type()).isEqualTo("java.io.UncheckedIOException");
        assertThat(g.message()).isEqualTo("disk full");
        assertThat(g.category()).isEqualTo("resource_exhausted");
        assertThat(g.retryable()).isFalse();
    }

    @Test
    void errorLogRecordsBecomeGroupsAndEveryRecordReachesTheListeners() throws Exception {
        LogRecord error = LogRecord.newBuilder()
                .setSeverityNumberValue(17)
                .setSeverityText("ERROR")
                .setBody(AnyValue.newBuilder().setStringValue("payment failed"))
                .addAttributes(attr("exception.type", "java.net.ConnectException"))
                .addAttributes(attr(
                        "exception.stacktrace",
                        "java.net.ConnectException: refused\n\tat com.shop.Pay.call(Pay.java:3)\n"))
                .build();
        LogRecord warn = LogRecord.newBuilder()
                .setSeverityNumberValue(13)
                .setSeverityText("WARN")
                .setBody(AnyValue.newBuilder().setStringValue("slow"))
                .build();
        ExportLogsServiceRequest r = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(
                                ScopeLogs.newBuilder().addLogRecords(error).addLogRecords(warn)))
                .build();
        IngestResult result = f.ingest.logs(r);
        result.durable().get(10, TimeUnit.SECONDS);
        assertThat(result.accepted()).isEqualTo(2);

        List<ErrorGroup> groups = f.errors.list("shop", null, 10);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).logLines()).containsExactly("payment failed");
        assertThat(groups.get(0).stackTrace()).contains("com.shop.Pay.call");
        assertThat(f.logEvents).extracting(LogEvent::body).containsExactly("payment failed", "slow");
        assertThat(f.logEvents.get(1).severityText()).isEqualTo("WARN");
        assertThat(f.logEvents.get(1).instance()).isEqualTo("i-1");

        Instance i = f.instances.list().get(0);
        assertThat(i.agentVersion()).isEqualTo("vigil 0.1.0");
        assertThat(i.host()).isEqualTo("h1");
        assertThat(i.state()).isEqualTo(InstanceState.REPORTING);
    }

    @Test
    void agentStoppedEventMarksTheInstanceStoppedNotSilent() {
        ExportLogsServiceRequest stop = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(LogRecord.newBuilder().setEventName("vigil.agent.stopped"))))
                .build();
        f.ingest.logs(stop);
        f.clock.advance(Duration.ofMinutes(10));
        assertThat(f.instances.list().get(0).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(f.logEvents).isEmpty();
    }

    @Test
    void silentInstanceIsReportedSilentAfterTheThreshold() {
        f.ingest.metrics(ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource()))
                .build());
        f.clock.advance(Duration.ofMinutes(3));
        assertThat(f.instances.list().get(0).state()).isEqualTo(InstanceState.SILENT);
    }

    @Test
    void countersAndHistogramsLandInTheMetricWindows() {
        long now = f.clock.millis() * 1_000_000L;
        Metric requests = Metric.newBuilder()
                .setName("http.server.request.duration")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(now)
                                .setCount(10)
                                .setSum(1.5)
                                .addAllExplicitBounds(List.of(0.1, 0.5))
                                .addAllBucketCounts(List.of(5L, 4L, 1L))
                                .addAttributes(attr("http.route", "/orders"))))
                .build();
        Metric orders = Metric.newBuilder()
                .setName("orders.placed")
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(now)
                                .setAsInt(3)))
                .build();
        IngestResult r = f.ingest.metrics(request(requests, orders));
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.rejected()).isZero();

        assertThat(f.windows.increase("orders.placed", List.of(), Duration.ofMinutes(5), List.of("service")))
                .containsExactly(Map.entry(Map.of("service", "shop"), 3.0));
        assertThat(f.windows.increase(
                        "http.server.request.duration", List.of(), Duration.ofMinutes(5), List.of("http.route")))
                .containsExactly(Map.entry(Map.of("http.route", "/orders"), 10.0));
        assertThat(f.windows.quantile(
                        0.5, "http.server.request.duration", List.of(), Duration.ofMinutes(5), List.of("instance")))
                .containsOnlyKeys(Map.of("instance", "i-1"));
    }

    @Test
    void unsupportedAndInconsistentPointsAreRejectedAsPartialSuccess() {
        Metric summary = Metric.newBuilder()
                .setName("legacy.summary")
                .setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder().setCount(1)))
                .build();
        Metric broken = Metric.newBuilder()
                .setName("broken.histogram")
                .setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .addExplicitBounds(1)
                                .addAllBucketCounts(List.of(1L, 2L, 3L))))
                .build();
        IngestResult r = f.ingest.metrics(request(summary, broken));
        assertThat(r.accepted()).isZero();
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.rejectionMessage())
                .contains("summary metrics are not supported (legacy.summary)")
                .contains("histogram broken.histogram has 3 bucket counts for 1 bounds");
    }

    @Test
    void oneFailureReportedAsSpanEventAndLogRecordCountsOnce() throws Exception {
        com.google.protobuf.ByteString trace = com.google.protobuf.ByteString.copyFrom(
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        com.google.protobuf.ByteString span =
                com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ExportTraceServiceRequest spans = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .setResource(resource())
                        .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                        .setTraceId(trace)
                                        .setSpanId(span)
                                        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                                                .setName("exception")
                                                .addAttributes(
                                                        attr("exception.type", "java.lang.IllegalStateException"))
                                                .addAttributes(attr("vigil.error.fingerprint", "feedface00000001"))))))
                .build();
        ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(LogRecord.newBuilder()
                                        .setTraceId(trace)
                                        .setSpanId(span)
                                        .setBody(AnyValue.newBuilder().setStringValue("order failed"))
                                        .addAttributes(attr("exception.type", "java.lang.IllegalStateException"))
                                        .addAttributes(attr("vigil.error.fingerprint", "feedface00000001")))))
                .build();
        f.ingest.traces(spans).durable().get(10, TimeUnit.SECONDS);
        f.ingest.logs(logs).durable().get(10, TimeUnit.SECONDS);

        ErrorGroup g = f.errors.find("shop", "feedface00000001").orElseThrow();
        assertThat(g.count()).isEqualTo(1);
        assertThat(g.logLines()).containsExactly("order failed");
        assertThat(g.traceIds()).containsExactly("0102030405060708090a0b0c0d0e0f10");

        // resent (a retry after a lost answer): the log is still the span's twin; the span counts again,
        // as delivery is at-least-once and a failure must never be counted less
        f.ingest.logs(logs).durable().get(10, TimeUnit.SECONDS);
        assertThat(f.errors.find("shop", "feedface00000001").orElseThrow().count())
                .isEqualTo(1);
        f.ingest.traces(spans).durable().get(10, TimeUnit.SECONDS);
        assertThat(f.errors.find("shop", "feedface00000001").orElseThrow().count())
                .isEqualTo(2);
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource())
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }
}
