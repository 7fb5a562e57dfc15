package dev.vigil.agent.logs;

import dev.vigil.agent.bootstrap.LogBridge;
import dev.vigil.agent.bootstrap.UncaughtBridge;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.errors.ClassifyingErrorRecorder;
import dev.vigil.agent.errors.ErrorClassifier;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.ErrorRecorder;
import dev.vigil.agent.errors.ErrorRulesLoader;
import dev.vigil.agent.errors.InAppPolicy;
import dev.vigil.agent.export.Delivery;
import dev.vigil.agent.export.ExportStats;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.redaction.Redactor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;

/**
 * Errors and logs, assembled from the configuration: the classifying error recorder every
 * instrumentation reports to, the OTLP log pipeline, the log-framework bridge (MDC, JSON console
 * and file, shipping) and the uncaught-exception bridge. {@link AgentRuntime} builds one at start.
 */
public final class ErrorsAndLogs {
    private static final AgentLog LOG = AgentLog.get(ErrorsAndLogs.class);

    private final ClassifyingErrorRecorder recorder;
    private final ErrorClassifier classifier;
    private final LogShipper shipper;
    private final JsonLogFile file;

    private ErrorsAndLogs(
            ClassifyingErrorRecorder recorder, ErrorClassifier classifier, LogShipper shipper, JsonLogFile file) {
        this.classifier = classifier;
        this.recorder = recorder;
        this.shipper = shipper;
        this.file = file;
    }

    /**
     * Builds everything and installs the bridges. Call before the first span is made current: the
     * MDC follows the current span through a hook on the context storage.
     */
    public static ErrorsAndLogs start(
            AgentConfig config,
            Resource resource,
            String service,
            MeterRegistry registry,
            Delivery delivery,
            ExportStats stats) {
        MdcSync mdc = null;
        if (config.get(AgentSettings.LOGS_MDC_ENABLED)) {
            mdc = new MdcSync();
            mdc.installContextHook();
        }
        Redactor redactor = redactor(config);
        LogShipper shipper = new LogShipper(resource, delivery, stats, config.get(AgentSettings.LOGS_QUEUE_SIZE));
        shipper.bindTo(registry);
        ErrorClassifier classifier = ErrorClassifier.withRules(rules(config));
        ClassifyingErrorRecorder recorder = ClassifyingErrorRecorder.builder(registry, service)
                .classifier(classifier)
                .inApp(InAppPolicy.packages(config.get(AgentSettings.ERRORS_IN_APP_PACKAGES)))
                .redactor(redactor)
                .maxSeries(config.get(AgentSettings.METRICS_MAX_SERIES))
                .logSink(shipper)
                .build();

        String mode = config.get(AgentSettings.LOGS_JSON);
        JsonLogFile file = null;
        if (mode.startsWith("file:")) {
            Path path = Paths.get(mode.substring(5));
            file = new JsonLogFile(
                    path,
                    config.get(AgentSettings.LOGS_JSON_FILE_MAX_SIZE),
                    config.get(AgentSettings.LOGS_JSON_FILE_MAX_FILES),
                    config.get(AgentSettings.LOGS_QUEUE_SIZE));
            FunctionCounter.builder("vigil.agent.log.file.dropped", file, JsonLogFile::dropped)
                    .description("JSON log file lines dropped (queue full or the file could not be written)")
                    .register(registry);
            LOG.info("writing JSON logs to " + file.path());
        }
        LogBridge.install(new LogEventHandler(
                recorder,
                shipper,
                LogLevel.threshold(config.get(AgentSettings.LOGS_EXPORT_LEVEL)),
                new JsonLogLine(service, ZoneId.systemDefault()),
                file,
                "console".equals(mode),
                mdc,
                redactor));
        UncaughtBridge.install((thread, error) -> recorder.record(Span.current(), error, ErrorComponent.UNCAUGHT));
        return new ErrorsAndLogs(recorder, classifier, shipper, file);
    }

    /** The classifier (built-in knowledge and the file's errors.rules), for other features that tag errors. */
    public ErrorClassifier classifier() {
        return classifier;
    }

    /** The recorder every instrumentation reports failures to. */
    public ErrorRecorder recorder() {
        return recorder;
    }

    /** Stops taking events, then writes and ships what is queued within bounded time. */
    public void shutdown() {
        LogBridge.install(null);
        UncaughtBridge.install(null);
        if (file != null) {
            file.close();
        }
        shipper.emitStopped();
        shipper.shutdown();
    }

    private static Redactor redactor(AgentConfig config) {
        String pattern = config.get(AgentSettings.REDACTION_PATTERN);
        return Redactor.create(
                config.get(AgentSettings.REDACTION_BUILTIN),
                pattern == null ? Collections.emptyList() : Collections.singletonList(pattern),
                config.get(AgentSettings.REDACTION_HEADERS));
    }

    private static List<dev.vigil.agent.errors.ErrorRule> rules(AgentConfig config) {
        String file = config.get(AgentSettings.CONFIG_FILE);
        if (file == null || !config.sections().contains("errors.rules")) {
            return Collections.emptyList();
        }
        ErrorRulesLoader.Result result = ErrorRulesLoader.load(Paths.get(file));
        for (String warning : result.warnings()) {
            LOG.warn("configuration: " + warning);
        }
        if (!result.rules().isEmpty()) {
            LOG.info(result.rules().size() + " error rule(s) loaded from " + file);
        }
        return result.rules();
    }
}
