package dev.vigil.agent.core;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import dev.vigil.agent.bootstrap.HttpClientBridge;
import dev.vigil.agent.bootstrap.HttpServerBridge;
import dev.vigil.agent.bootstrap.JdbcBridge;
import dev.vigil.agent.businessmetrics.BusinessMetrics;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.context.ContextPropagation;
import dev.vigil.agent.db.JdbcTelemetry;
import dev.vigil.agent.errors.ErrorRecorder;
import dev.vigil.agent.export.Delivery;
import dev.vigil.agent.export.ExportStats;
import dev.vigil.agent.export.OtlpHttpSender;
import dev.vigil.agent.export.OtlpSpanExporter;
import dev.vigil.agent.export.ReliableDelivery;
import dev.vigil.agent.http.HttpClientTelemetry;
import dev.vigil.agent.http.HttpServerTelemetry;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.logs.ErrorsAndLogs;
import dev.vigil.agent.metrics.AgentMetrics;
import dev.vigil.agent.metrics.OtlpMetricsExporter;
import dev.vigil.agent.metrics.PrometheusEndpoint;
import dev.vigil.agent.trace.Tracing;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.instrument.Instrumentation;

/**
 * The agent's running parts once started: resource, metrics, tracing, export and the bridge
 * implementations. Built on a background thread after the instrumentation is installed, so the
 * application's start-up does not wait for it.
 */
public final class AgentRuntime {
    private static final AgentLog LOG = AgentLog.get(AgentRuntime.class);

    private final AgentConfig config;
    private Resource resource;
    private AgentMetrics metrics;
    private PrometheusEndpoint endpoint;
    private Tracing tracing;
    private Delivery delivery;
    private final ExportStats exportStats = new ExportStats();
    private ErrorRecorder errorRecorder = ErrorRecorder.SPAN_ONLY;
    private ErrorsAndLogs errorsAndLogs;
    private OtlpMetricsExporter metricsExporter;
    private BusinessMetrics businessMetrics;

    AgentRuntime(AgentConfig config) {
        this.config = config;
    }

    /**
     * Starts everything; the /metrics endpoint comes last, so once it answers the agent is complete
     * (business metric hooks included).
     */
    void start(Instrumentation inst, ClassLoader agentLoader) {
        resource = ServiceResource.build(config);
        metrics = new AgentMetrics(config, resource);
        metrics.bindExportStats(exportStats);

        OtlpHttpSender sender = new OtlpHttpSender(
                config.get(AgentSettings.COLLECTOR_ENDPOINT),
                config.get(AgentSettings.COLLECTOR_TOKEN),
                config.get(AgentSettings.COLLECTOR_HEADERS),
                config.get(AgentSettings.COLLECTOR_TIMEOUT),
                "gzip".equals(config.get(AgentSettings.COLLECTOR_COMPRESSION)));
        ReliableDelivery reliable = ReliableDelivery.start(
                config, sender, exportStats, resource.getAttribute(ServiceResource.SERVICE_NAME));
        reliable.bindTo(metrics.registry());
        delivery = reliable;

        // before tracing: the MDC follows the current span through a hook on the context storage
        errorsAndLogs = ErrorsAndLogs.start(
                config,
                resource,
                resource.getAttribute(ServiceResource.SERVICE_NAME),
                metrics.registry(),
                delivery,
                exportStats);
        errorRecorder = errorsAndLogs.recorder();

        if (config.get(AgentSettings.TRACES_ENABLED)) {
            tracing = new Tracing(config, resource, new OtlpSpanExporter(delivery, exportStats));
            metrics.bindSpanProcessor(tracing.processor());
            HttpServerBridge.install(new HttpServerTelemetry(tracing.tracer(), metrics.registry(), errorRecorder));
            HttpClientBridge.install(new HttpClientTelemetry(tracing.tracer(), metrics.registry(), errorRecorder));
            JdbcBridge.install(new JdbcTelemetry(tracing.tracer(), metrics.registry(), errorRecorder));
            ExecutorBridge.install(new ContextPropagation(errorRecorder));
        }

        if (config.get(AgentSettings.METRICS_OTLP)) {
            metricsExporter = OtlpMetricsExporter.start(
                    metrics.registry(),
                    resource,
                    delivery,
                    exportStats,
                    config.get(AgentSettings.METRICS_OTLP_INTERVAL));
        }

        businessMetrics = BusinessMetrics.start(
                config,
                metrics.registry(),
                tracing == null ? null : tracing.tracer(),
                inst,
                agentLoader,
                errorsAndLogs.classifier());

        int port = config.get(AgentSettings.METRICS_PORT);
        if (port > 0) {
            endpoint = PrometheusEndpoint.start(config.get(AgentSettings.METRICS_HOST), port, metrics);
        }
        LOG.info("started: service " + resource.getAttribute(ServiceResource.SERVICE_NAME) + ", exporting to "
                + config.get(AgentSettings.COLLECTOR_ENDPOINT));
    }

    /** Flushes what can be flushed within bounded time and releases the agent's resources. */
    void shutdown() {
        HttpServerBridge.install(null);
        HttpClientBridge.install(null);
        JdbcBridge.install(null);
        ExecutorBridge.install(null);
        if (businessMetrics != null) {
            businessMetrics.close();
        }
        if (metricsExporter != null) {
            metricsExporter.close(); // the last values, before delivery stops
        }
        if (tracing != null) {
            tracing.shutdown();
        }
        if (errorsAndLogs != null) {
            errorsAndLogs.shutdown();
        }
        if (delivery != null) {
            delivery.shutdown();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
