package dev.vigil.agent.trace;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;

/** The OpenTelemetry SDK tracer provider with Vigil's bounded span processor. */
public final class Tracing {
    public static final String INSTRUMENTATION_SCOPE = "dev.vigil.agent";

    private final SdkTracerProvider provider;
    private final BoundedSpanProcessor processor;
    private final Tracer tracer;

    public Tracing(AgentConfig config, Resource resource, SpanExporter exporter) {
        this.processor = new BoundedSpanProcessor(
                exporter,
                config.get(AgentSettings.TRACES_QUEUE_SIZE),
                config.get(AgentSettings.TRACES_BATCH_SIZE),
                config.get(AgentSettings.TRACES_EXPORT_INTERVAL));
        this.provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(
                        Sampler.parentBased(Sampler.traceIdRatioBased(config.get(AgentSettings.TRACES_SAMPLE_RATIO))))
                .setSpanLimits(SpanLimits.builder()
                        .setMaxNumberOfAttributes(64)
                        .setMaxNumberOfEvents(32)
                        .setMaxAttributeValueLength(8192)
                        .build())
                .addSpanProcessor(processor)
                .build();
        this.tracer = provider.get(INSTRUMENTATION_SCOPE, dev.vigil.agent.core.AgentVersion.get());
    }

    public Tracer tracer() {
        return tracer;
    }

    public BoundedSpanProcessor processor() {
        return processor;
    }

    public void flush() {
        provider.forceFlush().join(10, TimeUnit.SECONDS);
    }

    public void shutdown() {
        provider.shutdown().join(15, TimeUnit.SECONDS);
    }
}
