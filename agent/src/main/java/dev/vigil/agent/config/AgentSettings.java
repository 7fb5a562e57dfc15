package dev.vigil.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the agent. Keys are written without the {@code vigil.} prefix here; users write
 * {@code vigil.metrics.port} as a system property, {@code VIGIL_METRICS_PORT} in the environment,
 * {@code metrics.port=9464} as an agent argument, or {@code metrics: {port: 9464}} in vigil.yaml.
 *
 * <p>docs/configuration.md documents each key; a unit test keeps the two in step.
 */
public final class AgentSettings {
    private static final List<ConfigKey<?>> ALL = new ArrayList<>();

    // --- general ---------------------------------------------------------------------------------
    public static final ConfigKey<Boolean> ENABLED = define(
            "enabled",
            "boolean",
            "true",
            "Turns the whole agent off when false: nothing is instrumented.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<String> CONFIG_FILE = define(
            "config",
            "path",
            null,
            "YAML configuration file (also VIGIL_CONFIG). Read once at start; business metrics in it are reloaded"
                    + " when it changes.",
            "/etc/vigil/vigil.yaml",
            ConfigValues::string);
    public static final ConfigKey<String> LOG_LEVEL = define(
            "log.level",
            "one of debug, info, warn, error, off",
            "info",
            "Level of the agent's own messages on standard error.",
            "debug",
            ConfigValues.oneOf("debug", "info", "warn", "error", "off"));

    // --- identity (resource) ---------------------------------------------------------------------
    public static final ConfigKey<String> SERVICE_NAME = define(
            "service.name",
            "string",
            null,
            "Service name on every span, metric and log (also OTEL_SERVICE_NAME). Default: the main class or jar"
                    + " name.",
            "checkout",
            ConfigValues::string);
    public static final ConfigKey<String> SERVICE_VERSION = define(
            "service.version",
            "string",
            null,
            "Version of the service (resource attribute service.version).",
            "1.4.2",
            ConfigValues::string);
    public static final ConfigKey<String> ENVIRONMENT = define(
            "deployment.environment",
            "string",
            null,
            "Deployment environment (resource attribute deployment.environment.name).",
            "production",
            ConfigValues::string);
    public static final ConfigKey<Map<String, String>> RESOURCE_ATTRIBUTES = define(
            "resource.attributes",
            "map",
            null,
            "Extra resource attributes as key=value pairs (also OTEL_RESOURCE_ATTRIBUTES).",
            "team=payments,region=eu-west-1",
            ConfigValues::map);

    // --- shipping to the collector ---------------------------------------------------------------
    public static final ConfigKey<String> COLLECTOR_ENDPOINT = define(
            "collector.endpoint",
            "url",
            "http://localhost:4318",
            "Base URL of the OTLP/HTTP receiver (also OTEL_EXPORTER_OTLP_ENDPOINT); /v1/traces, /v1/logs and"
                    + " /v1/metrics are appended.",
            "https://vigil-collector:4318",
            ConfigValues::url);
    public static final ConfigKey<String> COLLECTOR_TOKEN = define(
            "collector.token",
            "secret",
            null,
            "Bearer token sent as Authorization to the collector.",
            "s3cr3t",
            ConfigValues::string);
    public static final ConfigKey<Map<String, String>> COLLECTOR_HEADERS = define(
            "collector.headers",
            "map",
            null,
            "Extra HTTP headers on every export request (also OTEL_EXPORTER_OTLP_HEADERS).",
            "x-tenant=shop",
            ConfigValues::map);
    public static final ConfigKey<Duration> COLLECTOR_TIMEOUT = define(
            "collector.timeout",
            "duration",
            "10s",
            "Timeout of one export request.",
            "5s",
            ConfigValues.positiveDuration());
    public static final ConfigKey<String> COLLECTOR_COMPRESSION = define(
            "collector.compression",
            "one of gzip, none",
            "gzip",
            "Compression of export request bodies.",
            "none",
            ConfigValues.oneOf("gzip", "none"));

    // --- delivery: retry, circuit breaker, buffer (docs/agent-delivery.md) ------------------------
    public static final ConfigKey<Duration> RETRY_INITIAL_BACKOFF = define(
            "collector.retry.initial.backoff",
            "duration",
            "1s",
            "First wait before retrying a request that failed with 429, 502, 503, 504 or a network error; later"
                    + " waits grow with decorrelated jitter.",
            "5s",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Duration> RETRY_MAX_BACKOFF = define(
            "collector.retry.max.backoff",
            "duration",
            "30s",
            "Longest wait between two retries of a request.",
            "1m",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Duration> RETRY_MAX_ELAPSED = define(
            "collector.retry.max.elapsed",
            "duration",
            "60s",
            "How long one request is retried from memory before the circuit breaker opens and pending data goes"
                    + " to the disk buffer. Nothing is given up at this point.",
            "5m",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Duration> RETRY_AFTER_MAX = define(
            "collector.retry.after.max",
            "duration",
            "60s",
            "Cap on a collector's Retry-After: a longer request is honoured only up to this.",
            "5m",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Integer> CIRCUIT_FAILURE_THRESHOLD = define(
            "collector.circuit.failure.threshold",
            "integer",
            "5",
            "Consecutive failed attempts after which the circuit breaker opens: no calls to the collector, new data"
                    + " goes straight to the disk buffer.",
            "3",
            ConfigValues.intInRange(1, 1000));
    public static final ConfigKey<Duration> CIRCUIT_OPEN_DURATION = define(
            "collector.circuit.open.duration",
            "duration",
            "30s",
            "Cool-down of an open circuit breaker before one probe request (drawn between half and all of this);"
                    + " a success closes it, a failure opens it again.",
            "10s",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Long> BUFFER_MEMORY_MAX_SIZE = define(
            "collector.buffer.memory.max.size",
            "size",
            "8MiB",
            "Export requests waiting in memory; beyond it the oldest move to the disk buffer (or, without one,"
                    + " are dropped and counted in vigil_agent_export_lost_total).",
            "32MiB",
            ConfigValues.bytesAtLeast(64 * 1024));
    public static final ConfigKey<Boolean> BUFFER_DISK_ENABLED = define(
            "collector.buffer.disk.enabled",
            "boolean",
            "true",
            "Keep what the collector cannot take now in a disk buffer, replayed in order once it is back and after"
                    + " a restart. When false, the memory queue is all there is.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<String> BUFFER_DIRECTORY = define(
            "collector.buffer.directory",
            "path",
            null,
            "Base directory of the disk buffer; each process writes in <directory>/<service>/<start>-<pid>-<n>."
                    + " Default: <java.io.tmpdir>/vigil-buffer.",
            "/var/lib/vigil/buffer",
            ConfigValues::string);
    public static final ConfigKey<Long> BUFFER_DISK_MAX_SIZE = define(
            "collector.buffer.disk.max.size",
            "size",
            "64MiB",
            "Size cap of this process's disk buffer; beyond it the oldest requests are deleted and counted in"
                    + " vigil_agent_export_lost_total.",
            "1GiB",
            ConfigValues.bytesAtLeast(64 * 1024));
    public static final ConfigKey<Duration> SHUTDOWN_FLUSH_TIMEOUT = define(
            "collector.shutdown.flush.timeout",
            "duration",
            "5s",
            "At shutdown, how long the agent keeps sending what is in memory before it writes the rest to the disk"
                    + " buffer for the next run.",
            "10s",
            ConfigValues.positiveDuration());

    // --- traces ----------------------------------------------------------------------------------
    public static final ConfigKey<Boolean> TRACES_ENABLED =
            define("traces.enabled", "boolean", "true", "Record and export spans.", "false", ConfigValues::bool);
    public static final ConfigKey<Double> TRACES_SAMPLE_RATIO = define(
            "traces.sample.ratio",
            "0..1",
            "1.0",
            "Share of new traces recorded; a sampled parent from traceparent is always followed.",
            "0.25",
            ConfigValues.ratio());
    public static final ConfigKey<Integer> TRACES_QUEUE_SIZE = define(
            "traces.queue.size",
            "integer",
            "4096",
            "Ended spans waiting for export; when full, new spans are dropped and counted in"
                    + " vigil_agent_spans_dropped_total.",
            "8192",
            ConfigValues.intInRange(16, 1_000_000));
    public static final ConfigKey<Integer> TRACES_BATCH_SIZE = define(
            "traces.batch.size",
            "integer",
            "512",
            "Maximum spans in one export request.",
            "256",
            ConfigValues.intInRange(1, 10_000));
    public static final ConfigKey<Duration> TRACES_EXPORT_INTERVAL = define(
            "traces.export.interval",
            "duration",
            "2s",
            "Longest time a span waits before it is exported.",
            "5s",
            ConfigValues.positiveDuration());

    // --- metrics ---------------------------------------------------------------------------------
    public static final ConfigKey<Integer> METRICS_PORT = define(
            "metrics.port",
            "port",
            "9464",
            "Port of the Prometheus /metrics endpoint; 0 turns it off.",
            "0",
            ConfigValues.intInRange(0, 65535));
    public static final ConfigKey<String> METRICS_HOST = define(
            "metrics.host",
            "host",
            "0.0.0.0",
            "Address the /metrics endpoint listens on.",
            "127.0.0.1",
            ConfigValues::string);
    public static final ConfigKey<Boolean> METRICS_JVM = define(
            "metrics.jvm.enabled",
            "boolean",
            "true",
            "Micrometer's JVM and process metrics (memory, GC, threads, classes, CPU, file descriptors).",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<Boolean> METRICS_OTLP = define(
            "metrics.otlp.enabled",
            "boolean",
            "true",
            "Also push metrics to the collector over OTLP.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<Duration> METRICS_OTLP_INTERVAL = define(
            "metrics.otlp.interval",
            "duration",
            "15s",
            "How often metrics are pushed to the collector.",
            "30s",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Integer> METRICS_MAX_SERIES = define(
            "metrics.max.series",
            "integer",
            "100",
            "Distinct tag sets per metric; beyond it, new tag values are recorded as 'other' and counted in"
                    + " vigil_agent_metric_overflow_total.",
            "500",
            ConfigValues.intInRange(1, 100_000));

    // --- errors and logs (docs/errors-and-logs.md) -----------------------------------------------
    public static final ConfigKey<List<String>> ERRORS_IN_APP_PACKAGES = define(
            "errors.in.app.packages",
            "list",
            null,
            "Packages of the application's own code, whose frames make an error's fingerprint. Default: inferred"
                    + " (everything but the JDK and well-known libraries).",
            "com.shop;org.example.billing",
            ConfigValues::list);
    public static final ConfigKey<String> LOGS_EXPORT_LEVEL = define(
            "logs.export.level",
            "one of trace, debug, info, warn, error, off",
            "warn",
            "Log events at this level and above (Logback, Log4j 2, JUL) are shipped to the collector as OTLP log"
                    + " records.",
            "error",
            ConfigValues.oneOf("trace", "debug", "info", "warn", "error", "off"));
    public static final ConfigKey<Integer> LOGS_QUEUE_SIZE = define(
            "logs.queue.size",
            "integer",
            "2048",
            "Log records waiting for export; when full, new records are dropped and counted in"
                    + " vigil_agent_logs_dropped_total.",
            "8192",
            ConfigValues.intInRange(16, 1_000_000));
    public static final ConfigKey<String> LOGS_JSON = define(
            "logs.json",
            "off, console or file:<path>",
            "off",
            "console: the application's console output becomes one JSON object per line. file:<path>: the same"
                    + " lines go to a size-capped, rotated file and the console is left as it is. off: console"
                    + " unchanged (trace ids are still put in the MDC).",
            "file:/var/log/shop/app.json",
            ConfigValues::logsJson);
    public static final ConfigKey<Long> LOGS_JSON_FILE_MAX_SIZE = define(
            "logs.json.file.max.size",
            "size",
            "10MiB",
            "Size at which the JSON log file is rotated (app.json becomes app.json.1, and so on).",
            "100MiB",
            ConfigValues.bytesAtLeast(4 * 1024));
    public static final ConfigKey<Integer> LOGS_JSON_FILE_MAX_FILES = define(
            "logs.json.file.max.files",
            "integer",
            "5",
            "Rotated JSON log files kept besides the current one; older ones are deleted.",
            "10",
            ConfigValues.intInRange(0, 1000));
    public static final ConfigKey<Boolean> LOGS_MDC_ENABLED = define(
            "logs.mdc.enabled",
            "boolean",
            "true",
            "Put trace_id and span_id of the current span in the MDC (SLF4J/Logback) and ThreadContext (Log4j 2)"
                    + " of the thread, where the application's own log patterns can use them.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<Boolean> REDACTION_BUILTIN = define(
            "redaction.builtin.enabled",
            "boolean",
            "true",
            "Mask e-mail addresses and payment card numbers (Luhn-checked) in log and exception messages before"
                    + " they leave the process.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<String> REDACTION_PATTERN = define(
            "redaction.pattern",
            "regex",
            null,
            "A regular expression whose matches are masked in log and exception messages (combine several with |).",
            "(?i)iban=[A-Z0-9]+|secret-[a-z0-9]{8}",
            ConfigValues::regex);
    public static final ConfigKey<List<String>> REDACTION_HEADERS = define(
            "redaction.headers",
            "list",
            null,
            "HTTP headers never recorded, besides Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key"
                    + " and X-Auth-Token; their values are also masked where a message quotes them.",
            "x-session;x-customer-token",
            ConfigValues::list);
    public static final ConfigKey<Integer> METRICS_TAG_VALUE_MAX_LENGTH = define(
            "metrics.tag.value.max.length",
            "integer",
            "128",
            "Longest tag value of a business metric; longer values are cut to this many characters.",
            "64",
            ConfigValues.intInRange(8, 4096));
    public static final ConfigKey<Boolean> METRICS_RELOAD_ENABLED = define(
            "metrics.reload.enabled",
            "boolean",
            "true",
            "Watch the configuration file and re-apply its business metrics (metrics: list) when it changes.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<Duration> METRICS_RELOAD_INTERVAL = define(
            "metrics.reload.interval",
            "duration",
            "2s",
            "How often the configuration file is checked for changes to its business metrics.",
            "10s",
            ConfigValues.positiveDuration());
    public static final ConfigKey<Boolean> METRICS_ANNOTATIONS_ENABLED = define(
            "metrics.annotations.enabled",
            "boolean",
            "true",
            "Record Micrometer @Timed and @Counted methods of the application, with no AOP set up in it.",
            "false",
            ConfigValues::bool);
    public static final ConfigKey<Boolean> TRACES_ANNOTATIONS_ENABLED = define(
            "traces.annotations.enabled",
            "boolean",
            "true",
            "Record a span for each call of an OpenTelemetry @WithSpan method, with its @SpanAttribute parameters.",
            "false",
            ConfigValues::bool);

    // --- instrumentation -------------------------------------------------------------------------
    public static final ConfigKey<List<String>> INSTRUMENTATION_DISABLED = define(
            "instrumentation.disabled",
            "list",
            null,
            "Instrumentations to turn off, by name; the same as instrumentation.<name>.enabled=false for each.",
            "jdbc,executors",
            ConfigValues::list);

    private AgentSettings() {}

    /** All keys, in documentation order. */
    public static List<ConfigKey<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The key per-instrumentation switch: {@code instrumentation.<name>.enabled}. */
    public static String instrumentationSwitch(String instrumentationName) {
        return "instrumentation." + instrumentationName + ".enabled";
    }

    static <T> ConfigKey<T> define(
            String name, String type, String def, String description, String example, Function<String, T> parser) {
        ConfigKey<T> key = new ConfigKey<>(name, type, def, description, example, parser, false);
        ALL.add(key);
        return key;
    }
}
