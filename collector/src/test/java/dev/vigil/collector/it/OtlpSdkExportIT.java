package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.InAppPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenTelemetry Java SDK's own OTLP/HTTP exporters against the collector jar. */
class OtlpSdkExportIT {
    @TempDir
    Path dir;

    private static Resource resource(String service, String instance) {
        return Resource.getDefault()
                .merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service,
                        AttributeKey.stringKey("service.instance.id"), instance,
                        AttributeKey.stringKey("host.name"), "it-host")));
    }

    @Test
    void sdkExportersDeliverErrorsHeartbeatsMetricsAndGracefulStop() throws Exception {
        try (CollectorProcess c = new CollectorProcess(dir, "sdk-export", "", false).start()) {
            Api api = new Api(c);
            IllegalStateException failure = new IllegalStateException("order 42 not found");
            exportAll(c, failure, CollectorProcess.INGEST_TOKEN, null);

            String expected = ErrorFingerprint.of(failure, InAppPolicy.inferred());
            JsonNode groups = api.await(
                    "/api/errors?service=checkout", j -> j.get("groups").size() >= 2);
            JsonNode fromSpan = find(groups, "java.lang.IllegalStateException");
            assertThat(fromSpan.get("fingerprint").asText()).isEqualTo(expected);
            JsonNode detail = api.json("/api/errors/" + fromSpan.get("id").asText());
            assertThat(detail.get("trace_ids")).hasSize(1);
            assertThat(detail.get("stack_trace").asText()).contains("order 42 not found");
            JsonNode fromLog = find(groups, "java.sql.SQLTransientConnectionException");
            assertThat(fromLog.get("category").asText()).isEqualTo("dependency_unavailable");
            assertThat(fromLog.get("retryable").asBoolean()).isTrue();
            assertThat(api.json("/api/errors/" + fromLog.get("id").asText())
                            .get("log_lines")
                            .get(0)
                            .asText())
                    .isEqualTo("payment call failed");

            JsonNode instances = api.await(
                    "/api/instances",
                    j -> j.get("instances").size() == 1
                            && j.get("instances").get(0).get("state").asText().equals("stopped"));
            JsonNode instance = instances.get("instances").get(0);
            assertThat(instance.get("service").asText()).isEqualTo("checkout");
            assertThat(instance.get("instance").asText()).isEqualTo("i-1");
            assertThat(instance.get("host").asText()).isEqualTo("it-host");
            assertThat(instance.get("agent_version").asText()).startsWith("opentelemetry-java ");

            String metrics = api.get("/metrics", null).body();
            assertThat(metrics)
                    .containsPattern(
                            "vigil_collector_ingest_items_total\\{outcome=\"accepted\",signal=\"metrics\"} [1-9]");
            assertThat(metrics)
                    .containsPattern(
                            "vigil_collector_ingest_items_total\\{outcome=\"accepted\",signal=\"traces\"} [1-9]");
            assertThat(metrics).contains("vigil_collector_db_write_duration_seconds_count");
        }
    }

    @Test
    void exportersWithAWrongTokenAreRefusedAndNothingIsStored() throws Exception {
        try (CollectorProcess c = new CollectorProcess(dir, "sdk-wrong-token", "", false).start()) {
            Api api = new Api(c);
            List<CompletableResultCode> results =
                    exportAll(c, new IllegalStateException("x"), "not-the-token-0123456789", null);
            assertThat(results.get(0).isSuccess()).as("span export").isFalse();
            assertThat(api.json("/api/errors").get("groups")).isEmpty();
            assertThat(api.json("/api/instances").get("instances")).isEmpty();
            assertThat(api.get("/metrics", null).body())
                    .containsPattern(
                            "vigil_collector_ingest_requests_total\\{reason=\"unauthorized\",signal=\"traces\",status=\"401\"} [1-9]");
        }
    }

    @Test
    void exportersSpeakTlsWhenACertificateIsConfigured() throws Exception {
        assumeTrue(Https.opensslAvailable(), "openssl is needed to make a test certificate");
        Https.makeCertificate(dir);
        try (CollectorProcess c = new CollectorProcess(dir, "sdk-tls", "", true).start()) {
            List<CompletableResultCode> results = exportAll(
                    c,
                    new IllegalArgumentException("tls"),
                    CollectorProcess.INGEST_TOKEN,
                    Files.readAllBytes(dir.resolve("cert.pem")));
            assertThat(results.get(0).isSuccess()).as("span export over TLS").isTrue();
            new Api(c).await("/api/errors", j -> j.get("groups").size() >= 1);
        }
    }

    private static JsonNode find(JsonNode groups, String type) {
        for (JsonNode g : groups.get("groups")) {
            if (g.get("type").asText().equals(type)) {
                return g;
            }
        }
        throw new AssertionError("no group of type " + type + " in " + groups);
    }

    /** Exports one failed span, one error log record, a graceful-stop event and some metrics. */
    private static List<CompletableResultCode> exportAll(
            CollectorProcess c, Throwable failure, String token, byte[] trustedCert) throws Exception {
        Resource resource = resource("checkout", "i-1");
        var spanExporterBuilder = OtlpHttpSpanExporter.builder()
                .setEndpoint(c.otlpUrl() + "/v1/traces")
                .setCompression("gzip")
                .addHeader("Authorization", "Bearer " + token)
                .setTimeout(Duration.ofSeconds(10));
        var logExporterBuilder = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(c.otlpUrl() + "/v1/logs")
                .addHeader("Authorization", "Bearer " + token)
                .setTimeout(Duration.ofSeconds(10));
        var metricExporterBuilder = OtlpHttpMetricExporter.builder()
                .setEndpoint(c.otlpUrl() + "/v1/metrics")
                .setCompression("gzip")
                .addHeader("Authorization", "Bearer " + token)
                .setTimeout(Duration.ofSeconds(10));
        if (trustedCert != null) {
            spanExporterBuilder.setTrustedCertificates(trustedCert);
            logExporterBuilder.setTrustedCertificates(trustedCert);
            metricExporterBuilder.setTrustedCertificates(trustedCert);
        }
        OtlpHttpSpanExporter spanExporter = spanExporterBuilder.build();
        OtlpHttpLogRecordExporter logExporter = logExporterBuilder.build();
        OtlpHttpMetricExporter metricExporter = metricExporterBuilder.build();

        List<SpanData> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(new SpanProcessor() {
                    @Override
                    public void onStart(io.opentelemetry.context.Context parent, ReadWriteSpan span) {}

                    @Override
                    public boolean isStartRequired() {
                        return false;
                    }

                    @Override
                    public void onEnd(ReadableSpan span) {
                        ended.add(span.toSpanData());
                    }

                    @Override
                    public boolean isEndRequired() {
                        return true;
                    }
                })
                .build();
        Span span = tracerProvider.get("it").spanBuilder("GET /orders/{id}").startSpan();
        span.recordException(failure);
        span.end();
        CompletableResultCode spans = spanExporter.export(ended).join(15, TimeUnit.SECONDS);
        tracerProvider.close();

        SdkMeterProvider meterProvider = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(metricExporter)
                        .setInterval(Duration.ofHours(1))
                        .build())
                .build();
        meterProvider.get("it").counterBuilder("orders.placed").build().add(3);
        meterProvider
                .get("it")
                .histogramBuilder("http.server.request.duration")
                .build()
                .record(0.25);
        CompletableResultCode metrics = meterProvider.forceFlush().join(15, TimeUnit.SECONDS);
        meterProvider.close();
        // the graceful stop comes last: anything the instance sends after it makes it reporting again
        SdkLoggerProvider loggerProvider = SdkLoggerProvider.builder()
                .setResource(resource)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(logExporter))
                .build();
        loggerProvider
                .get("it")
                .logRecordBuilder()
                .setSeverity(Severity.ERROR)
                .setBody("payment call failed")
                .setAttribute(AttributeKey.stringKey("exception.type"), "java.sql.SQLTransientConnectionException")
                .setAttribute(AttributeKey.stringKey("exception.message"), "connection refused")
                .setAttribute(AttributeKey.stringKey("vigil.error.category"), "dependency_unavailable")
                .setAttribute(AttributeKey.booleanKey("vigil.error.retryable"), true)
                .emit();
        loggerProvider
                .get("it")
                .logRecordBuilder()
                .setEventName("vigil.agent.stopped")
                .emit();
        CompletableResultCode logs = loggerProvider.forceFlush().join(15, TimeUnit.SECONDS);
        loggerProvider.close();

        return List.of(spans, logs, metrics);
    }
}
