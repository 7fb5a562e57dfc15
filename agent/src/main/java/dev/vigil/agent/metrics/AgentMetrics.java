package dev.vigil.agent.metrics;

import dev.vigil.agent.bootstrap.AdviceErrors;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.export.ExportStats;
import dev.vigil.agent.export.Signal;
import dev.vigil.agent.trace.BoundedSpanProcessor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's Micrometer registry (Prometheus), with the JVM and process binders and the agent's
 * own health metrics ({@code vigil_agent_*}).
 */
public final class AgentMetrics implements AutoCloseable {
    /** Bucket bounds (seconds) for request durations: the OpenTelemetry semantic-convention advice. */
    public static final Duration[] DURATION_BUCKETS =
            buckets(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10);

    /**
     * Tag on every meter: the service name, so dashboards and runbook queries can select
     * {@code {service="checkout"}} on Prometheus as they do on the collector.
     */
    public static final String SERVICE_TAG = "service";

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public AgentMetrics(AgentConfig config, Resource resource) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(PrometheusLint.FILTER);
        // Before any meter is registered: common tags apply to meters registered after them only.
        Object service = resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"));
        if (service != null) {
            registry.config().commonTags(SERVICE_TAG, service.toString());
        }
        registerTargetInfo(resource);
        if (config.get(AgentSettings.METRICS_JVM)) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            closeables.add(gc);
            JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
            pressure.bindTo(registry);
            closeables.add(pressure);
            new JvmThreadMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            PrometheusLint.bindProcessCpuSeconds(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        FunctionCounter.builder("vigil.agent.instrumentation.errors", AdviceErrors.class, c -> AdviceErrors.count())
                .description(
                        "Failures inside the agent's instrumentation, suppressed so the application never saw them")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text (0.0.4) or OpenMetrics, depending on the Accept header. */
    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }

    /** Registers the span pipeline's health metrics. */
    public void bindSpanProcessor(BoundedSpanProcessor processor) {
        FunctionCounter.builder("vigil.agent.spans.dropped", processor, BoundedSpanProcessor::droppedSpans)
                .description("Spans dropped because the export queue was full")
                .register(registry);
        FunctionCounter.builder("vigil.agent.spans.exported", processor, BoundedSpanProcessor::exportedSpans)
                .description("Spans handed to the exporter")
                .register(registry);
        Gauge.builder("vigil.agent.queue.size", processor, BoundedSpanProcessor::queueSize)
                .tags("queue", "spans")
                .description("Items waiting in the agent's export queues")
                .register(registry);
        Gauge.builder("vigil.agent.queue.capacity", processor, BoundedSpanProcessor::queueCapacity)
                .tags("queue", "spans")
                .description("Capacity of the agent's export queues")
                .register(registry);
    }

    /** Registers export counters: failures by signal and reason, items sent and lost by signal. */
    public void bindExportStats(ExportStats stats) {
        for (Signal signal : Signal.values()) {
            FunctionCounter.builder(
                            "vigil.agent.export.sent",
                            stats.counter("sent", signal),
                            java.util.concurrent.atomic.AtomicLong::get)
                    .tags("signal", signal.label())
                    .description("Items the collector accepted")
                    .register(registry);
            FunctionCounter.builder(
                            "vigil.agent.export.lost",
                            stats.counter("lost", signal),
                            java.util.concurrent.atomic.AtomicLong::get)
                    .tags("signal", signal.label())
                    .description(
                            "Items that will never reach the collector (rejected, or dropped beyond the buffer caps)")
                    .register(registry);
        }
        stats.setFailureListener((signal, reason, counter) -> FunctionCounter.builder(
                        "vigil.agent.export.failures", counter, java.util.concurrent.atomic.AtomicLong::get)
                .tags(Tags.of("signal", signal.label(), "reason", reason))
                .description("Failed export attempts, by signal and reason")
                .register(registry));
        for (Signal signal : Signal.values()) {
            // the collector being unreachable is the failure to watch: present from the start
            stats.failureCounter(signal, "connect");
        }
    }

    /** The resource as labels of a constant gauge, as the OpenTelemetry Prometheus exporter does. */
    private void registerTargetInfo(Resource resource) {
        List<io.micrometer.core.instrument.Tag> tags = new ArrayList<>();
        resource.getAttributes().forEach((k, v) -> {
            String key = k.getKey();
            if (key.startsWith("service.")
                    || key.startsWith("deployment.")
                    || key.equals("host.name")
                    || key.equals("telemetry.distro.version")) {
                tags.add(io.micrometer.core.instrument.Tag.of(key, String.valueOf(v)));
            }
        });
        Gauge.builder("target.info", () -> 1)
                .tags(tags)
                .description("Target metadata")
                .register(registry);
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1_000_000_000L));
        }
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing to do
            }
        }
        registry.close();
    }
}
