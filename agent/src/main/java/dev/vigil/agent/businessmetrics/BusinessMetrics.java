package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.errors.ErrorClassifier;
import dev.vigil.agent.errors.ErrorComponent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Function;

/**
 * Business metrics without code: the hooks declared in vigil.yaml ({@code metrics:}), reloaded when
 * the file changes, and the application's {@code @Timed}, {@code @Counted} and {@code @WithSpan}
 * annotations. See docs/business-metrics.md.
 */
public final class BusinessMetrics implements AutoCloseable {
    private HookFileWatcher watcher;

    private BusinessMetrics() {}

    /**
     * Installs the bridge handler, the annotation instrumentation and the declared hooks, and starts
     * watching the configuration file. {@code tracer} is null when tracing is off; {@code classifier}
     * gives the {@code error.category} tag.
     */
    public static BusinessMetrics start(
            AgentConfig config,
            MeterRegistry registry,
            Tracer tracer,
            Instrumentation inst,
            ClassLoader agentLoader,
            ErrorClassifier classifier) {
        return start(config, registry, tracer, inst, agentLoader, errorCategory(classifier));
    }

    /** The category label of a business method's failure, as every other part of the agent classifies it. */
    static Function<Throwable, String> errorCategory(ErrorClassifier classifier) {
        return error -> classifier
                .classify(error, ErrorComponent.BUSINESS_METHOD)
                .category()
                .label();
    }

    static BusinessMetrics start(
            AgentConfig config,
            MeterRegistry registry,
            Tracer tracer,
            Instrumentation inst,
            ClassLoader agentLoader,
            Function<Throwable, String> errorCategory) {
        int maxSeries = config.get(AgentSettings.METRICS_MAX_SERIES);
        int maxTagLength = config.get(AgentSettings.METRICS_TAG_VALUE_MAX_LENGTH);
        HookTable table = new HookTable();
        HookTransformers transformers = new HookTransformers(inst, agentLoader);
        DeclaredHooks declared =
                new DeclaredHooks(table, transformers, registry, maxSeries, maxTagLength, errorCategory);
        AnnotationHooks annotations =
                new AnnotationHooks(table, registry, tracer, maxSeries, maxTagLength, errorCategory);
        BusinessMetrics metrics = new BusinessMetrics();
        MethodHookBridge.install(table);

        Gauge.builder("vigil.agent.metric.hooks", declared, DeclaredHooks::size)
                .description("Business metric hooks from the configuration file in force")
                .register(registry);
        Counter reloaded = Counter.builder("vigil.agent.metric.reloads")
                .tag("result", "success")
                .description("Reloads of the business metrics of the configuration file, by result")
                .register(registry);
        Counter rejected = Counter.builder("vigil.agent.metric.reloads")
                .tag("result", "failure")
                .description("Reloads of the business metrics of the configuration file, by result")
                .register(registry);

        annotations.install(
                transformers,
                config.get(AgentSettings.METRICS_ANNOTATIONS_ENABLED),
                config.get(AgentSettings.TRACES_ANNOTATIONS_ENABLED));
        String file = config.get(AgentSettings.CONFIG_FILE);
        if (file != null && !file.trim().isEmpty()) {
            Path path = Paths.get(file.trim()).toAbsolutePath();
            metrics.watcher = new HookFileWatcher(path, declared, ok -> (ok ? reloaded : rejected).increment());
            metrics.watcher.loadInitial();
            if (config.get(AgentSettings.METRICS_RELOAD_ENABLED)) {
                metrics.watcher.watch(config.get(AgentSettings.METRICS_RELOAD_INTERVAL));
            }
        }
        return metrics;
    }

    /**
     * Stops watching the file and turns every hook off. The instrumented code stays as it is (the JVM
     * is stopping; retransforming now would only slow that down) and records nothing any more.
     */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        MethodHookBridge.install(null);
    }
}
