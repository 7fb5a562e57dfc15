package dev.vigil.collector.notify;

import dev.vigil.collector.CollectorContext;
import dev.vigil.collector.CollectorFeature;
import dev.vigil.collector.config.ConfigNode;
import dev.vigil.collector.ingest.IngestListener;
import dev.vigil.collector.ingest.LogEvent;
import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertStore;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.CollectorRuleInputs;
import dev.vigil.collector.rules.Evaluator;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.LogLevel;
import dev.vigil.collector.rules.LogPatternCounts;
import dev.vigil.collector.rules.RuleFileLoader;
import dev.vigil.collector.rules.RuleLoadException;
import dev.vigil.collector.rules.RuleProblem;
import dev.vigil.collector.rules.RuleSet;
import dev.vigil.collector.runbooks.RunbookRenderer;
import dev.vigil.collector.runbooks.RunbookTemplates;
import dev.vigil.collector.store.Migration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Alert rules, runbooks and notifications as a collector feature: owns the {@code rules} and
 * {@code notifications} configuration sections, the alerting tables, the evaluation, dispatch
 * and delivery threads, and the alerting API routes. Invalid rules stop the collector at start
 * (reported with file and line as configuration problems); later they only fail a reload.
 */
public final class AlertingFeature implements CollectorFeature {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingFeature.class);

    private Path rulesDir;
    private Path runbooksDir;
    private Duration interval = Duration.ofSeconds(30);
    private String prometheusUrl;
    private NotifySettings notifySettings = NotifySettings.none();
    private RuleSet initialRules;
    private ScheduledExecutorService threads;
    private OutboxSender sender;

    @Override
    public Set<String> configSections() {
        return Set.of("rules", "notifications");
    }

    @Override
    public void configure(ConfigNode root) {
        ConfigNode rules = root.section("rules");
        rules.allowOnly(List.of("dir", "runbooks_dir", "evaluation_interval", "prometheus_url"));
        Path base = root.baseDir();
        rulesDir = rules.file("dir", base.resolve("alert-rules"), base);
        runbooksDir = rules.file("runbooks_dir", base.resolve("runbook-templates"), base);
        interval = rules.duration("evaluation_interval", Duration.ofSeconds(30), Duration.ofSeconds(1));
        prometheusUrl = rules.string("prometheus_url", null);
        if (!rules.has("dir") && !java.nio.file.Files.isDirectory(rulesDir)) {
            // No rules configured and none shipped beside us (e.g. a bare jar): run without rules.
            LOG.warn("no rules.dir set and {} does not exist: no alert rules are evaluated", rulesDir);
            initialRules = new RuleSet(List.of(), java.time.Instant.now());
        } else {
            loadRules(rules);
        }
        try {
            notifySettings = NotifySettings.parse(toJava(root.raw("notifications")));
        } catch (NotifySettings.InvalidSettingsException e) {
            for (String p : e.problems()) {
                root.problemAt("notifications", p);
            }
        } catch (IllegalArgumentException e) {
            root.problemAt("notifications", "notifications must be a mapping: " + e.getMessage());
        }
    }

    private void loadRules(ConfigNode rules) {
        RuleFileLoader loader = loader();
        try {
            initialRules = loader.load();
        } catch (RuleLoadException e) {
            for (RuleProblem p : e.problems()) {
                rules.problemAt("dir", "invalid alert rule: " + p);
            }
        }
    }

    private RuleFileLoader loader() {
        return RuleFileLoader.create(
                rulesDir, interval, new RunbookTemplates(runbooksDir), java.time.Clock.systemUTC());
    }

    @Override
    public List<Migration> migrations() {
        return AlertsDatabase.MIGRATIONS;
    }

    @Override
    public void start(CollectorContext ctx) throws Exception {
        if (initialRules == null) {
            throw new IllegalStateException("alert rules were not loaded; configure() reports why");
        }
        AlertsDatabase db = AlertsDatabase.of(ctx.database());
        String publicUrl = ctx.config().http().publicUrl();
        if (publicUrl == null) {
            String host = ctx.config().http().host();
            publicUrl = "http://" + (host == null || host.equals("0.0.0.0") || host.isBlank() ? "localhost" : host)
                    + ":" + ctx.config().http().port();
        }
        Links links = new Links(publicUrl, prometheusUrl);
        LogPatternCounts logs = new LogPatternCounts();
        SelfMetrics metrics = new SelfMetrics(ctx.meterRegistry());
        metrics.registerReceivers(
                notifySettings.receivers().stream().map(ReceiverConfig::name).toList());
        Evaluator evaluator = Evaluator.create(
                initialRules,
                new CollectorRuleInputs(ctx.metricWindows(), ctx.errorGroups(), ctx.instances()),
                logs,
                new AlertStore(db),
                ctx.clock(),
                links);
        registerEvaluatorMeters(ctx.meterRegistry(), evaluator);
        NotificationOutbox outbox = new NotificationOutbox(db);
        AlertHistory history = new AlertHistory(db);
        Silences silences = new Silences(db);
        sender = OutboxSender.create(
                outbox,
                notifySettings.receivers(),
                notifySettings.delivery(),
                ctx.clock(),
                metrics,
                g -> LOG.error(
                        "notification to {} given up ({}); NotificationReceiverFailing will fire for it",
                        g.receiver(),
                        g.reason()));
        Dispatcher dispatcher =
                new Dispatcher(notifySettings, db, silences, links, evaluator::rules, ctx.clock(), sender::wakeUp);
        evaluator.addListener(dispatcher);
        RuleReloader reloader = new RuleReloader(loader(), runbooksDir, evaluator, metrics, ctx.clock());
        new AlertsApi(
                        evaluator,
                        history,
                        silences,
                        outbox,
                        new RunbookRenderer(new RunbookTemplates(runbooksDir)),
                        reloader,
                        ctx.clock())
                .register(ctx.routes());
        ctx.ingestListeners().add(new LogListener(logs));
        threads = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-alerting");
            t.setDaemon(true);
            return t;
        });
        threads.scheduleWithFixedDelay(guard("evaluation", evaluator::evaluateDue), 0, 1, TimeUnit.SECONDS);
        threads.scheduleWithFixedDelay(guard("dispatch", dispatcher::tick), 1, 1, TimeUnit.SECONDS);
        threads.scheduleWithFixedDelay(guard("rule reload", reloader::checkForChanges), 5, 5, TimeUnit.SECONDS);
        sender.start();
        LOG.info(
                "alerting started: {} rules from {}, {} receivers, runbooks at {}/runbooks/",
                initialRules.rules().size(),
                rulesDir,
                notifySettings.receivers().size(),
                links.collector());
    }

    /** The rule engine's own health on {@code /metrics} (and in the windows the rules read). */
    private static void registerEvaluatorMeters(io.micrometer.core.instrument.MeterRegistry registry, Evaluator e) {
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "vigil.collector.rules.evaluation.failures", e, Evaluator::evaluationFailures)
                .description("Rule evaluations that failed (the rule's alerts were kept as they were)")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "vigil.collector.alerts.persist.failures", e, Evaluator::persistFailures)
                .description("Evaluation rounds whose alert state could not be written")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "vigil.collector.rules.evaluation.last.duration",
                        e,
                        x -> x.lastRoundDuration().toNanos() / 1e9)
                .description("Duration of the last evaluation round")
                .baseUnit("seconds")
                .register(registry);
        for (dev.vigil.collector.rules.AlertState state : dev.vigil.collector.rules.AlertState.values()) {
            io.micrometer.core.instrument.Gauge.builder("vigil.collector.alerts", e, x -> x.alerts().stream()
                            .filter(a -> a.state() == state)
                            .count())
                    .description("Alerts known to the collector by state")
                    .tag("state", state.lower())
                    .register(registry);
        }
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; log and keep the schedule alive.
                LOG.error("{} failed; retrying on the next tick: {}", what, e.toString(), e);
            }
        };
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (sender != null) {
            sender.close();
        }
    }

    /** Feeds log records to the log-pattern rules. */
    private record LogListener(LogPatternCounts logs) implements IngestListener {
        @Override
        public void logRecord(LogEvent e) {
            LogLevel level = e.severityNumber() > 0
                    ? LogLevel.ofSeverityNumber(e.severityNumber())
                    : LogLevel.parse(e.severityText().isEmpty() ? "INFO" : e.severityText());
            Map<String, String> attrs = new HashMap<>(e.attributes());
            attrs.put("service", e.service());
            attrs.put("instance", e.instance());
            logs.accept(new LogPatternCounts.LogRecordView(
                    e.time(), level == null ? LogLevel.INFO : level, e.body(), Labels.of(attrs)));
        }
    }

    /** A YAML node as maps, lists, strings, booleans and integers. */
    static Map<String, Object> toJava(Node node) {
        if (node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
            return null;
        }
        Object v = value(node);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("found " + (v instanceof List ? "a list" : "'" + v + "'"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    private static Object value(Node node) {
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                out.put(String.valueOf(value(t.getKeyNode())), value(t.getValueNode()));
            }
            return out;
        }
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            for (Node n : s.getValue()) {
                out.add(value(n));
            }
            return out;
        }
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) {
            return null;
        }
        if (s.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(s.getValue());
        }
        if (s.getTag().equals(Tag.INT)) {
            try {
                return Integer.parseInt(s.getValue());
            } catch (NumberFormatException e) {
                return s.getValue();
            }
        }
        return substitute(s.getValue());
    }

    private static final java.util.regex.Pattern ENV =
            java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    /** {@code ${VAR}} and {@code ${VAR:-default}} from the environment, as elsewhere in the configuration. */
    static String substitute(String value) {
        java.util.regex.Matcher m = ENV.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = System.getenv(m.group(1));
            if (v == null) {
                v = m.group(3) != null ? m.group(3) : "";
            }
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
