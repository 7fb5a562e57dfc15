package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import dev.vigil.collector.rules.Condition.BurnWindow;
import dev.vigil.collector.rules.Condition.Function;
import dev.vigil.collector.rules.Condition.Op;
import dev.vigil.collector.rules.Condition.RatioTo;
import dev.vigil.collector.rules.Condition.Scope;
import dev.vigil.collector.rules.YamlReader.Fields;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads and validates every {@code *.yaml}/{@code *.yml} file of the rules folder as specified in
 * docs/alert-rules.md. All problems of all files are collected and reported together, each with
 * file, line and column; a single problem makes the whole load fail, so a half-valid rule set never
 * replaces a running one.
 */
public final class RuleFileLoader {
    static final Pattern ALERT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Set<String> SEVERITIES = Set.of("page", "ticket", "info");

    private static final Set<String> COMMON =
            Set.of("alert", "kind", "for", "keep_firing_for", "labels", "annotations", "runbook", "by", "where");
    private static final Map<String, Set<String>> KIND_FIELDS = Map.of(
            "threshold",
            Set.of("metric", "function", "quantile", "window", "ratio_to", "op", "threshold", "min_requests"),
            "error_ratio",
            Set.of("metric", "window", "threshold", "min_requests"),
            "latency_quantile",
            Set.of("metric", "quantile", "window", "threshold", "min_requests"),
            "new_error_group",
            Set.of("window", "min_count"),
            "regressed_error_group",
            Set.of("window"),
            "error_spike",
            Set.of("window", "baseline", "factor", "min_count"),
            "slo_burn_rate",
            Set.of("objective", "period", "metric", "windows", "min_requests"),
            "heartbeat_absent",
            Set.of("scope", "after", "forget_after"),
            "log_pattern",
            Set.of("pattern", "level", "window", "threshold"));

    /** Labels the error-group kinds put on their alerts; their {@code where} may only use these. */
    static final List<String> ERROR_GROUP_LABELS = List.of("service", "fingerprint", "error_type", "error_category");

    static final String DEFAULT_REQUEST_METRIC = "http.server.request.duration";

    /** The SRE workbook table for a 30-day SLO (FORMATS.md). */
    static final List<BurnWindow> DEFAULT_BURN_WINDOWS = List.of(
            new BurnWindow(Duration.ofHours(1), Duration.ofMinutes(5), 14.4, "page"),
            new BurnWindow(Duration.ofHours(6), Duration.ofMinutes(30), 6, "page"),
            new BurnWindow(Duration.ofDays(1), Duration.ofHours(2), 3, "ticket"),
            new BurnWindow(Duration.ofDays(3), Duration.ofHours(6), 1, "ticket"));

    private final Path dir;
    private final Duration defaultInterval;
    private final TemplateCheck runbooks;
    private final Clock clock;

    private RuleFileLoader(Path dir, Duration defaultInterval, TemplateCheck runbooks, Clock clock) {
        this.dir = requireNonNull(dir, "dir");
        this.defaultInterval = requireNonNull(defaultInterval, "defaultInterval");
        this.runbooks = requireNonNull(runbooks, "runbooks");
        this.clock = requireNonNull(clock, "clock");
    }

    public static RuleFileLoader create(Path dir, Duration defaultInterval, TemplateCheck runbooks, Clock clock) {
        return new RuleFileLoader(dir, defaultInterval, runbooks, clock);
    }

    public Path dir() {
        return dir;
    }

    /** Loads every rule file of the folder, or throws with every problem found. */
    public RuleSet load() throws RuleLoadException {
        List<RuleProblem> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new RuleProblem(dir.toString(), 0, 0, "the rules folder does not exist or is not a folder"));
            throw new RuleLoadException(problems);
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
                    })
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            problems.add(new RuleProblem(dir.toString(), 0, 0, "cannot list the rules folder: " + e));
            throw new RuleLoadException(problems);
        }
        List<AlertRule> rules = new ArrayList<>();
        Map<String, String> alertNames = new HashMap<>();
        Map<String, String> groupNames = new HashMap<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new RuleProblem(file.toString(), 0, 0, "cannot read: " + e));
                continue;
            }
            parseFile(file.toString(), new StringReader(text), problems, rules, alertNames, groupNames);
        }
        if (!problems.isEmpty()) {
            throw new RuleLoadException(problems);
        }
        return new RuleSet(rules, clock.instant());
    }

    /** Parses one file's text; used by {@link #load()} and by tests of single files. */
    RuleSet parse(String fileName, String text) throws RuleLoadException {
        List<RuleProblem> problems = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>();
        parseFile(fileName, new StringReader(text), problems, rules, new HashMap<>(), new HashMap<>());
        if (!problems.isEmpty()) {
            throw new RuleLoadException(problems);
        }
        return new RuleSet(rules, clock.instant());
    }

    private void parseFile(
            String file,
            Reader reader,
            List<RuleProblem> problems,
            List<AlertRule> rules,
            Map<String, String> alertNames,
            Map<String, String> groupNames) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = "YAML syntax error: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            problems.add(
                    mark == null
                            ? new RuleProblem(file, 0, 0, message)
                            : new RuleProblem(file, mark.getLine() + 1, mark.getColumn() + 1, message));
            return;
        } catch (YAMLException e) {
            problems.add(new RuleProblem(file, 0, 0, "YAML error: " + e.getMessage()));
            return;
        }
        YamlReader y = new YamlReader(file, problems);
        if (root == null || YamlReader.isNull(root)) {
            y.problem(null, "the file is empty; a rule file starts with 'groups:'");
            return;
        }
        Fields top = y.fields(root, "the file");
        if (top == null) {
            return;
        }
        Node groups = top.raw("groups");
        top.rejectUnknown(Set.of("groups"));
        if (groups == null || YamlReader.isNull(groups)) {
            y.problem(root, "the file needs 'groups:', a list of rule groups");
            return;
        }
        if (!(groups instanceof SequenceNode groupList)) {
            y.problem(groups, "'groups' must be a list of rule groups, not " + YamlReader.describe(groups));
            return;
        }
        for (Node groupNode : groupList.getValue()) {
            parseGroup(y, groupNode, rules, alertNames, groupNames);
        }
    }

    private void parseGroup(
            YamlReader y,
            Node groupNode,
            List<AlertRule> rules,
            Map<String, String> alertNames,
            Map<String, String> groupNames) {
        Fields g = y.fields(groupNode, "a rule group");
        if (g == null) {
            return;
        }
        String name = g.string("name", true);
        Duration interval = g.duration("interval", false);
        Node ruleList = g.raw("rules");
        g.rejectUnknown(Set.of("name", "interval", "rules"));
        if (name != null) {
            String earlier = groupNames.putIfAbsent(name, YamlReader.location(y.file(), groupNode));
            if (earlier != null) {
                y.problem(g.raw("name"), "group name '" + name + "' is already used at " + earlier);
            }
        }
        if (interval != null && interval.isZero()) {
            y.problem(g.raw("interval"), "'interval' must be longer than 0s");
            interval = null;
        }
        if (ruleList == null || YamlReader.isNull(ruleList)) {
            y.problem(groupNode, "group '" + name + "' needs 'rules:', a list of rules");
            return;
        }
        if (!(ruleList instanceof SequenceNode seq)) {
            y.problem(ruleList, "'rules' must be a list, not " + YamlReader.describe(ruleList));
            return;
        }
        for (Node ruleNode : seq.getValue()) {
            AlertRule rule =
                    parseRule(y, ruleNode, name == null ? "?" : name, interval == null ? defaultInterval : interval);
            if (rule == null) {
                continue;
            }
            String earlier = alertNames.putIfAbsent(rule.name(), rule.source());
            if (earlier != null) {
                y.problem(ruleNode, "alert name '" + rule.name() + "' is already used at " + earlier);
                continue;
            }
            rules.add(rule);
        }
    }

    private AlertRule parseRule(YamlReader y, Node ruleNode, String group, Duration interval) {
        Fields r = y.fields(ruleNode, "a rule");
        if (r == null) {
            return null;
        }
        int before = problemCount(y);
        String name = r.string("alert", true);
        if (name != null && !ALERT_NAME.matcher(name).matches()) {
            y.problem(r.raw("alert"), "alert name '" + name + "' must match [A-Za-z][A-Za-z0-9_]*");
        }
        String what = name == null ? "the rule" : "rule '" + name + "'";
        String kind = r.string("kind", true);
        Set<String> kindFields = kind == null ? null : KIND_FIELDS.get(kind);
        if (kind != null && kindFields == null) {
            String hint = Suggestions.closest(kind, KIND_FIELDS.keySet());
            y.problem(
                    r.raw("kind"),
                    "unknown kind '" + kind + "'"
                            + (hint != null
                                    ? "; did you mean '" + hint + "'?"
                                    : "; kinds: " + String.join(", ", new java.util.TreeSet<>(KIND_FIELDS.keySet()))));
        }
        Duration forDuration = orDefault(r.duration("for", false), Duration.ZERO);
        Duration keepFiringFor = orDefault(r.duration("keep_firing_for", false), Duration.ZERO);
        Map<String, String> labels = labels(y, r, what);
        Map<String, String> annotations = annotations(y, r);
        String runbook = r.string("runbook", false);
        if (runbook == null && name != null) {
            runbook = kebabCase(name) + ".md";
        }
        if (runbook != null) {
            if (runbook.contains("/") || runbook.contains("\\") || runbook.startsWith(".")) {
                y.problem(
                        r.has("runbook") ? r.raw("runbook") : ruleNode,
                        "runbook '" + runbook + "' must be a file name in the runbook folder, without a path");
            } else {
                String problem = runbooks.problem(runbook);
                if (problem != null) {
                    y.problem(r.has("runbook") ? r.raw("runbook") : r.raw("alert"), problem);
                }
            }
        }
        List<String> by = r.strings("by");
        Node whereNode = r.raw("where");
        List<LabelMatcher> where = matchers(y, r, "where");
        Condition condition = null;
        if (kindFields != null) {
            Set<String> known = new java.util.HashSet<>(COMMON);
            known.addAll(kindFields);
            condition = condition(y, r, kind, what);
            by = checkBy(y, r, kind, by);
            checkWhere(y, kind, where, whereNode);
            r.rejectUnknown(known);
        }
        if (problemCount(y) > before || condition == null) {
            return null;
        }
        return new AlertRule(
                name,
                group,
                interval,
                forDuration,
                keepFiringFor,
                labels,
                annotations,
                runbook,
                by,
                where,
                YamlReader.location(y.file(), ruleNode),
                condition);
    }

    private static int problemCount(YamlReader y) {
        return y.problems().size();
    }

    private Map<String, String> labels(YamlReader y, Fields r, String what) {
        Map<String, ScalarNode> raw = r.scalarMap("labels");
        if (raw == null) {
            if (!r.has("labels")) {
                y.problem(r.node(), what + " needs 'labels' with a 'severity' (page, ticket or info)");
            }
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, ScalarNode> e : raw.entrySet()) {
            String key = e.getKey();
            if (!LABEL_NAME.matcher(key).matches()) {
                y.problem(e.getValue(), "label name '" + key + "' must match [A-Za-z_][A-Za-z0-9_]*");
            } else if (key.equals("alertname")) {
                y.problem(e.getValue(), "'alertname' is set from 'alert' and cannot be a label here");
            }
            labels.put(key, e.getValue().getValue());
        }
        String severity = labels.get("severity");
        if (severity == null) {
            y.problem(r.raw("labels"), what + " needs a 'severity' label: page, ticket or info");
        } else if (!SEVERITIES.contains(severity)) {
            y.problem(raw.get("severity"), "severity '" + severity + "' must be page, ticket or info");
        }
        return labels;
    }

    private Map<String, String> annotations(YamlReader y, Fields r) {
        Map<String, ScalarNode> raw = r.scalarMap("annotations");
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ScalarNode> e : raw.entrySet()) {
            String template = e.getValue().getValue();
            try {
                Mustache.compiler().escapeHTML(false).compile(template);
            } catch (MustacheException e2) {
                y.problem(
                        e.getValue(),
                        "annotation '" + e.getKey() + "' is not a valid Mustache template: " + e2.getMessage());
            }
            out.put(e.getKey(), template);
        }
        return out;
    }

    private List<LabelMatcher> matchers(YamlReader y, Fields r, String key) {
        Map<String, ScalarNode> raw = r.scalarMap(key);
        if (raw == null) {
            return List.of();
        }
        List<LabelMatcher> out = new ArrayList<>();
        for (Map.Entry<String, ScalarNode> e : raw.entrySet()) {
            try {
                out.add(LabelMatcher.parseShortForm(e.getKey(), e.getValue().getValue()));
            } catch (IllegalArgumentException ex) {
                y.problem(e.getValue(), "'" + key + "." + e.getKey() + "': " + ex.getMessage());
            }
        }
        return out;
    }

    private List<String> checkBy(YamlReader y, Fields r, String kind, List<String> by) {
        boolean fixedLabels =
                kind.endsWith("_error_group") || kind.equals("error_spike") || kind.equals("heartbeat_absent");
        if (fixedLabels) {
            if (by != null) {
                y.problem(r.raw("by"), "kind " + kind + " has fixed labels; remove 'by'");
            }
            return List.of();
        }
        if (by == null) {
            return kind.equals("latency_quantile") ? List.of("service", "http.route") : List.of("service");
        }
        for (String label : by) {
            if (label.isBlank()) {
                y.problem(r.raw("by"), "'by' has an empty label name");
            }
        }
        if (new java.util.HashSet<>(by).size() != by.size()) {
            y.problem(r.raw("by"), "'by' names a label twice");
        }
        return by;
    }

    private static void checkWhere(YamlReader y, String kind, List<LabelMatcher> where, Node whereNode) {
        List<String> allowed = null;
        if (kind.endsWith("_error_group") || kind.equals("error_spike")) {
            allowed = ERROR_GROUP_LABELS;
        } else if (kind.equals("heartbeat_absent")) {
            allowed = List.of("service", "instance", "host");
        }
        if (allowed == null) {
            return;
        }
        for (LabelMatcher m : where) {
            if (!allowed.contains(m.name())) {
                y.problem(
                        whereNode,
                        "kind " + kind + " can only match on " + String.join(", ", allowed) + ", not '" + m.name()
                                + "'");
            }
        }
    }

    private Condition condition(YamlReader y, Fields r, String kind, String what) {
        return switch (kind) {
            case "threshold" -> threshold(y, r, what);
            case "error_ratio" -> {
                String metric = orDefault(r.string("metric", false), DEFAULT_REQUEST_METRIC);
                Duration window = window(y, r, "window", Duration.ofMinutes(5));
                Double threshold = ratio(y, r, "threshold", true);
                double minRequests = nonNegative(y, r, "min_requests", 20);
                yield threshold == null || window == null
                        ? null
                        : new Condition.ErrorRatio(metric, window, threshold, minRequests);
            }
            case "latency_quantile" -> {
                String metric = orDefault(r.string("metric", false), DEFAULT_REQUEST_METRIC);
                Double q = quantile(y, r, 0.99);
                Duration window = window(y, r, "window", Duration.ofMinutes(5));
                Double threshold = r.number("threshold", true);
                double minRequests = nonNegative(y, r, "min_requests", 20);
                yield q == null || window == null || threshold == null
                        ? null
                        : new Condition.LatencyQuantile(metric, q, window, threshold, minRequests);
            }
            case "new_error_group" -> {
                Duration window = window(y, r, "window", Duration.ofMinutes(15));
                long minCount = (long) Math.max(1, nonNegative(y, r, "min_count", 1));
                yield window == null ? null : new Condition.NewErrorGroup(window, minCount);
            }
            case "regressed_error_group" -> {
                Duration window = window(y, r, "window", Duration.ofMinutes(15));
                yield window == null ? null : new Condition.RegressedErrorGroup(window);
            }
            case "error_spike" -> {
                Duration window = window(y, r, "window", Duration.ofMinutes(5));
                Duration baseline = window(y, r, "baseline", Duration.ofHours(1));
                Double factor = r.number("factor", false);
                if (factor != null && factor <= 1) {
                    y.problem(
                            r.raw("factor"), "'factor' must be greater than 1 (a spike is a multiple of the baseline)");
                    factor = null;
                }
                long minCount = (long) nonNegative(y, r, "min_count", 10);
                if (window != null && baseline != null && baseline.compareTo(window) <= 0) {
                    y.problem(
                            r.raw("baseline"),
                            "'baseline' (" + Durations.format(baseline) + ") must be longer than 'window' ("
                                    + Durations.format(window) + ")");
                    baseline = null;
                }
                yield window == null || baseline == null || (r.has("factor") && factor == null)
                        ? null
                        : new Condition.ErrorSpike(window, baseline, factor == null ? 5 : factor, minCount);
            }
            case "slo_burn_rate" -> slo(y, r, what);
            case "heartbeat_absent" -> {
                String scope = orDefault(r.string("scope", false), "service");
                Scope s =
                        switch (scope) {
                            case "service" -> Scope.SERVICE;
                            case "instance" -> Scope.INSTANCE;
                            default -> {
                                y.problem(r.raw("scope"), "'scope' must be service or instance, not '" + scope + "'");
                                yield null;
                            }
                        };
                Duration after = window(y, r, "after", Duration.ofMinutes(2));
                Duration forget = window(y, r, "forget_after", Duration.ofDays(7));
                if (after != null && forget != null && forget.compareTo(after) <= 0) {
                    y.problem(r.raw("forget_after"), "'forget_after' must be longer than 'after'");
                    forget = null;
                }
                yield s == null || after == null || forget == null
                        ? null
                        : new Condition.HeartbeatAbsent(s, after, forget);
            }
            case "log_pattern" -> {
                String pattern = r.string("pattern", true);
                Pattern compiled = null;
                if (pattern != null) {
                    try {
                        compiled = Pattern.compile(pattern);
                    } catch (PatternSyntaxException e) {
                        y.problem(
                                r.raw("pattern"),
                                "'pattern' is not a valid Java regular expression: " + e.getDescription()
                                        + " near index " + e.getIndex());
                    }
                }
                String levelText = orDefault(r.string("level", false), "WARN");
                LogLevel level = LogLevel.parse(levelText);
                if (level == null) {
                    y.problem(
                            r.raw("level"),
                            "'level' must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, not '" + levelText + "'");
                }
                Duration window = window(y, r, "window", Duration.ofMinutes(5));
                double threshold = nonNegative(y, r, "threshold", 0);
                yield compiled == null || level == null || window == null
                        ? null
                        : new Condition.LogPattern(compiled, level, window, threshold);
            }
            default -> null;
        };
    }

    private Condition threshold(YamlReader y, Fields r, String what) {
        String metric = r.string("metric", true);
        Function function = function(y, r, "function", r.string("function", true));
        Double q = null;
        if (function == Function.QUANTILE) {
            q = quantile(y, r, null);
            if (q == null && !r.has("quantile")) {
                y.problem(r.node(), what + " uses function quantile and needs 'quantile' (0 < q < 1)");
            }
        } else if (r.has("quantile")) {
            y.problem(r.raw("quantile"), "'quantile' is only used with function: quantile");
        }
        Duration window = window(y, r, "window", null);
        if (window == null && !r.has("window")) {
            y.problem(r.node(), what + " needs 'window' (a duration such as 5m)");
        }
        Op op = Op.GT;
        String opText = r.string("op", false);
        if (opText != null) {
            op = null;
            for (Op o : Op.values()) {
                if (o.symbol.equals(opText)) {
                    op = o;
                }
            }
            if (op == null) {
                y.problem(r.raw("op"), "'op' must be >, >=, < or <=, not '" + opText + "'");
            }
        }
        Double threshold = r.number("threshold", true);
        RatioTo ratioTo = null;
        Node ratioNode = r.raw("ratio_to");
        if (ratioNode != null && !YamlReader.isNull(ratioNode)) {
            Fields rt = y.fields(ratioNode, "'ratio_to'");
            if (rt != null) {
                String rtMetric = rt.string("metric", true);
                String rtFunctionText = orDefault(rt.string("function", false), "increase");
                Function rtFunction = function(y, rt, "function", rtFunctionText);
                List<LabelMatcher> rtWhere = matchers(y, rt, "where");
                rt.rejectUnknown(Set.of("metric", "function", "where"));
                if (rtFunction != null && rtFunction != Function.RATE && rtFunction != Function.INCREASE) {
                    y.problem(rt.raw("function"), "'ratio_to.function' must be rate or increase");
                    rtFunction = null;
                }
                if (function != null && function != Function.RATE && function != Function.INCREASE) {
                    y.problem(r.raw("function"), "with 'ratio_to', 'function' must be rate or increase");
                }
                if (rtMetric != null && rtFunction != null) {
                    ratioTo = new RatioTo(rtMetric, rtFunction, rtWhere);
                }
            }
        }
        double minRequests = nonNegative(y, r, "min_requests", 0);
        if (r.has("min_requests") && ratioNode == null) {
            y.problem(r.raw("min_requests"), "'min_requests' is only used with 'ratio_to'");
        }
        if (metric == null
                || function == null
                || window == null
                || op == null
                || threshold == null
                || (function == Function.QUANTILE && q == null)) {
            return null;
        }
        return new Condition.Threshold(
                metric, function, q == null ? 0 : q, window, ratioTo, op, threshold, minRequests);
    }

    private Condition slo(YamlReader y, Fields r, String what) {
        Double objective = r.number("objective", true);
        if (objective != null && (objective <= 0 || objective >= 1)) {
            y.problem(r.raw("objective"), "'objective' must be between 0 and 1 (exclusive), e.g. 0.999");
            objective = null;
        }
        Duration period = window(y, r, "period", Duration.ofDays(30));
        String metric = orDefault(r.string("metric", false), DEFAULT_REQUEST_METRIC);
        double minRequests = nonNegative(y, r, "min_requests", 10);
        List<BurnWindow> windows = DEFAULT_BURN_WINDOWS;
        Node windowsNode = r.raw("windows");
        boolean bad = false;
        if (windowsNode != null && !YamlReader.isNull(windowsNode)) {
            if (!(windowsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
                y.problem(windowsNode, "'windows' must be a non-empty list of {long, short, burn_rate, severity}");
                bad = true;
            } else {
                windows = new ArrayList<>();
                for (Node w : seq.getValue()) {
                    Fields wf = y.fields(w, "a window pair");
                    if (wf == null) {
                        bad = true;
                        continue;
                    }
                    Duration longW = wf.duration("long", true);
                    Duration shortW = wf.duration("short", true);
                    Double burn = wf.number("burn_rate", true);
                    String severity = wf.string("severity", true);
                    wf.rejectUnknown(Set.of("long", "short", "burn_rate", "severity"));
                    if (longW != null && shortW != null && shortW.compareTo(longW) >= 0) {
                        y.problem(
                                w,
                                "the short window (" + Durations.format(shortW)
                                        + ") must be shorter than the long one (" + Durations.format(longW) + ")");
                        bad = true;
                    }
                    if (longW != null && longW.isZero() || shortW != null && shortW.isZero()) {
                        y.problem(w, "windows must be longer than 0s");
                        bad = true;
                    }
                    if (burn != null && burn <= 0) {
                        y.problem(wf.raw("burn_rate"), "'burn_rate' must be greater than 0");
                        bad = true;
                    }
                    if (severity != null && !SEVERITIES.contains(severity)) {
                        y.problem(wf.raw("severity"), "severity '" + severity + "' must be page, ticket or info");
                        bad = true;
                    }
                    if (period != null && longW != null && longW.compareTo(period) > 0) {
                        y.problem(wf.raw("long"), "the long window is longer than the SLO period");
                        bad = true;
                    }
                    if (longW == null || shortW == null || burn == null || severity == null) {
                        bad = true;
                        continue;
                    }
                    windows.add(new BurnWindow(longW, shortW, burn, severity));
                }
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (BurnWindow w : windows) {
                    if (!seen.add(w.label())) {
                        y.problem(windowsNode, "window pair " + w.label() + " is listed twice");
                        bad = true;
                    }
                }
            }
        }
        if (objective == null || period == null || bad) {
            return null;
        }
        return new Condition.SloBurnRate(objective, period, metric, windows, minRequests);
    }

    private static Function function(YamlReader y, Fields r, String key, String text) {
        if (text == null) {
            return null;
        }
        for (Function f : Function.values()) {
            if (f.yamlName().equals(text)) {
                return f;
            }
        }
        y.problem(
                r.raw(key),
                "'" + key + "' must be one of rate, increase, last, avg, max, min, quantile, not '" + text + "'");
        return null;
    }

    private static Double quantile(YamlReader y, Fields r, Double fallback) {
        Double q = r.number("quantile", false);
        if (q == null) {
            return r.has("quantile") ? null : fallback;
        }
        if (q <= 0 || q >= 1) {
            y.problem(r.raw("quantile"), "'quantile' must be between 0 and 1 (exclusive), e.g. 0.99");
            return null;
        }
        return q;
    }

    private static Double ratio(YamlReader y, Fields r, String key, boolean required) {
        Double v = r.number(key, required);
        if (v != null && (v < 0 || v > 1)) {
            y.problem(r.raw(key), "'" + key + "' is a ratio and must be between 0 and 1, e.g. 0.05 for 5%");
            return null;
        }
        return v;
    }

    private static double nonNegative(YamlReader y, Fields r, String key, double fallback) {
        Double v = r.number(key, false);
        if (v == null) {
            return fallback;
        }
        if (v < 0) {
            y.problem(r.raw(key), "'" + key + "' must not be negative");
            return fallback;
        }
        return v;
    }

    private static Duration window(YamlReader y, Fields r, String key, Duration fallback) {
        Duration d = r.duration(key, false);
        if (d == null) {
            return r.has(key) ? null : fallback;
        }
        if (d.isZero()) {
            y.problem(r.raw(key), "'" + key + "' must be longer than 0s");
            return null;
        }
        return d;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /**
     * The default runbook name: a {@code -} before an upper-case letter that follows a lower-case
     * letter or digit, and before the last capital of a run followed by a lower-case letter.
     */
    public static String kebabCase(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                char prev = name.charAt(i - 1);
                boolean afterLowerOrDigit = Character.isLowerCase(prev) || Character.isDigit(prev);
                boolean endOfRun = Character.isUpperCase(prev)
                        && i + 1 < name.length()
                        && Character.isLowerCase(name.charAt(i + 1));
                if (afterLowerOrDigit || endOfRun) {
                    b.append('-');
                }
            }
            b.append(c == '_' ? '-' : Character.toLowerCase(c));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
