package dev.vigil.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.runbooks.RunbookTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFileLoaderTest {
    private static final Set<String> TEMPLATES = Set.of("a.md", "high-errors.md", "x.md");

    private final RuleFileLoader loader = RuleFileLoader.create(
            Path.of("unused"),
            Duration.ofSeconds(30),
            name -> TEMPLATES.contains(name) ? null : "runbook template '" + name + "' does not exist",
            Clock.systemUTC());

    private static String rule(String body) {
        return "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        labels: {severity: page}\n" + body;
    }

    private List<RuleProblem> problems(String text) {
        try {
            loader.parse("rules.yaml", text);
        } catch (RuleLoadException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + text);
    }

    private RuleSet ok(String text) throws RuleLoadException {
        return loader.parse("rules.yaml", text);
    }

    @Test
    void loadsEveryShippedRuleWithItsRunbook() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        RuleSet set = RuleFileLoader.create(
                        root.resolve("alert-rules"),
                        Duration.ofSeconds(30),
                        new RunbookTemplates(root.resolve("runbook-templates")),
                        Clock.systemUTC())
                .load();
        assertThat(set.rules())
                .extracting(AlertRule::name)
                .contains(
                        "HighErrorRatio",
                        "NewErrorGroup",
                        "RegressedErrorGroup",
                        "ErrorSpike",
                        "HighLatencyP99",
                        "SLOFastBurn",
                        "SLOSlowBurn",
                        "ServiceSilent",
                        "InstanceSilent",
                        "DependencyUnavailable",
                        "DatabaseErrors",
                        "SlowDatabase",
                        "JvmHeapPressure",
                        "LongGcPauses",
                        "NotificationOutboxBacklog",
                        "NotificationReceiverFailing",
                        "NotificationsGivenUp");
        AlertRule slo = set.rule("SLOFastBurn");
        assertThat(((Condition.SloBurnRate) slo.condition()).windows())
                .extracting(Condition.BurnWindow::label)
                .containsExactly("1h/5m", "6h/30m");
        assertThat(set.rule("HighLatencyP99").by()).containsExactly("service", "http.route");
        assertThat(set.rule("HighErrorRatio").runbook()).isEqualTo("high-error-ratio.md");
    }

    @Test
    void parsesEveryKindWithDefaults() throws Exception {
        RuleSet set = ok("""
                groups:
                  - name: all
                    interval: 15s
                    rules:
                      - {alert: A1, kind: threshold, metric: m, function: rate, window: 5m, threshold: 1, labels: {severity: info}, runbook: a.md}
                      - {alert: A2, kind: error_ratio, threshold: 0.1, labels: {severity: info}, runbook: a.md}
                      - {alert: A3, kind: latency_quantile, threshold: 2, labels: {severity: info}, runbook: a.md}
                      - {alert: A4, kind: new_error_group, labels: {severity: info}, runbook: a.md}
                      - {alert: A5, kind: regressed_error_group, labels: {severity: info}, runbook: a.md}
                      - {alert: A6, kind: error_spike, labels: {severity: info}, runbook: a.md}
                      - {alert: A7, kind: slo_burn_rate, objective: 0.99, labels: {severity: page}, runbook: a.md}
                      - {alert: A8, kind: heartbeat_absent, scope: instance, labels: {severity: page}, runbook: a.md}
                      - {alert: A9, kind: log_pattern, pattern: "OutOfMemory", labels: {severity: page}, runbook: a.md}
                """);
        assertThat(set.rules()).hasSize(9);
        assertThat(set.rule("A1").interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(set.rule("A2").condition())
                .isEqualTo(new Condition.ErrorRatio("http.server.request.duration", Duration.ofMinutes(5), 0.1, 20));
        assertThat(set.rule("A3").by()).containsExactly("service", "http.route");
        assertThat(set.rule("A4").condition()).isEqualTo(new Condition.NewErrorGroup(Duration.ofMinutes(15), 1));
        assertThat(set.rule("A6").condition())
                .isEqualTo(new Condition.ErrorSpike(Duration.ofMinutes(5), Duration.ofHours(1), 5, 10));
        assertThat(((Condition.SloBurnRate) set.rule("A7").condition()).windows())
                .hasSize(4);
        assertThat(set.rule("A8").condition())
                .isEqualTo(new Condition.HeartbeatAbsent(
                        Condition.Scope.INSTANCE, Duration.ofMinutes(2), Duration.ofDays(7)));
        assertThat(((Condition.LogPattern) set.rule("A9").condition()).level()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void reportsYamlSyntaxErrorWithLine() {
        List<RuleProblem> p = problems("groups:\n  - name: g\n    rules: [\n");
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.line()).isGreaterThan(0);
            assertThat(x.message()).startsWith("YAML syntax error");
        });
    }

    @Test
    void rejectsEmptyFileAndMissingGroups() {
        assertThat(problems(""))
                .singleElement()
                .extracting(RuleProblem::message)
                .asString()
                .contains("empty");
        assertThat(problems("rules: []\n"))
                .extracting(RuleProblem::message)
                .anyMatch(m -> m.contains("unknown field 'rules'"))
                .anyMatch(m -> m.contains("needs 'groups:'"));
        assertThat(problems("groups: 3\n"))
                .singleElement()
                .extracting(RuleProblem::message)
                .asString()
                .contains("must be a list");
    }

    @Test
    void suggestsTheKindAndFieldMeant() {
        List<RuleProblem> kind = problems(rule("        kind: treshold\n"));
        assertThat(kind).singleElement().satisfies(x -> {
            assertThat(x.message()).isEqualTo("unknown kind 'treshold'; did you mean 'threshold'?");
            assertThat(x.line()).isEqualTo(6);
        });
        List<RuleProblem> field = problems(rule("        kind: error_ratio\n        treshold: 0.1\n"));
        assertThat(field)
                .extracting(RuleProblem::message)
                .contains("unknown field 'treshold' in a rule; did you mean 'threshold'?");
    }

    @Test
    void requiresAValidSeverity() {
        String noSeverity = "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        kind: error_ratio\n"
                + "        threshold: 0.1\n        labels: {team: a}\n";
        assertThat(problems(noSeverity))
                .extracting(RuleProblem::message)
                .containsExactly("rule 'HighErrors' needs a 'severity' label: page, ticket or info");
        String badSeverity = noSeverity.replace("{team: a}", "{severity: critical}");
        assertThat(problems(badSeverity))
                .extracting(RuleProblem::message)
                .containsExactly("severity 'critical' must be page, ticket or info");
        String noLabels = "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        kind: error_ratio\n"
                + "        threshold: 0.1\n";
        assertThat(problems(noLabels)).extracting(RuleProblem::message).anyMatch(m -> m.contains("needs 'labels'"));
    }

    @Test
    void rejectsDuplicateAlertAndGroupNamesWithTheFirstLocation() {
        String text = """
                groups:
                  - name: g
                    rules:
                      - {alert: X, kind: error_ratio, threshold: 0.1, labels: {severity: page}}
                  - name: g
                    rules:
                      - {alert: X, kind: error_ratio, threshold: 0.1, labels: {severity: page}}
                """;
        assertThat(problems(text))
                .extracting(RuleProblem::toString)
                .containsExactly(
                        "rules.yaml:5:11: group name 'g' is already used at rules.yaml:2",
                        "rules.yaml:7:9: alert name 'X' is already used at rules.yaml:4");
    }

    @Test
    void rejectsBadDurationsNumbersAndRanges() {
        assertThat(problems(rule("        kind: error_ratio\n        threshold: 0.1\n        window: 5 minutes\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .contains("'5 minutes' is not a duration");
        assertThat(problems(rule("        kind: error_ratio\n        threshold: \"0.1\"\n")))
                .extracting(RuleProblem::message)
                .containsExactly("'threshold' must be a number, not '0.1'");
        assertThat(problems(rule("        kind: error_ratio\n        threshold: 5\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .contains("between 0 and 1");
        assertThat(problems(rule("        kind: error_ratio\n        threshold: 0.1\n        window: 0s\n")))
                .extracting(RuleProblem::message)
                .containsExactly("'window' must be longer than 0s");
        assertThat(problems(rule("        kind: error_ratio\n        threshold: 0.1\n        min_requests: -1\n")))
                .extracting(RuleProblem::message)
                .containsExactly("'min_requests' must not be negative");
    }

    @Test
    void checksThresholdFunctions() {
        assertThat(problems(rule("        kind: threshold\n        metric: m\n        function: quantile\n"
                        + "        window: 5m\n        threshold: 1\n")))
                .extracting(RuleProblem::message)
                .anyMatch(m -> m.contains("needs 'quantile'"));
        assertThat(problems(rule("        kind: threshold\n        metric: m\n        function: median\n"
                        + "        window: 5m\n        threshold: 1\n")))
                .extracting(RuleProblem::message)
                .anyMatch(m -> m.contains("must be one of rate, increase"));
        assertThat(problems(rule("        kind: threshold\n        metric: m\n        function: max\n"
                        + "        window: 5m\n        threshold: 1\n        ratio_to: {metric: n}\n")))
                .extracting(RuleProblem::message)
                .containsExactly("with 'ratio_to', 'function' must be rate or increase");
        assertThat(problems(rule("        kind: threshold\n        metric: m\n        function: rate\n"
                        + "        threshold: 1\n        op: '=='\n")))
                .extracting(RuleProblem::message)
                .containsExactlyInAnyOrder(
                        "'op' must be >, >=, < or <=, not '=='",
                        "rule 'HighErrors' needs 'window' (a duration such as 5m)");
    }

    @Test
    void checksSloWindows() {
        String text = rule("""
                        kind: slo_burn_rate
                        objective: 1.5
                        windows:
                          - {long: 5m, short: 1h, burn_rate: 14.4, severity: page}
                          - {long: 1h, short: 5m, burn_rate: 0, severity: urgent}
                """);
        assertThat(problems(text))
                .extracting(RuleProblem::message)
                .containsExactlyInAnyOrder(
                        "'objective' must be between 0 and 1 (exclusive), e.g. 0.999",
                        "the short window (1h) must be shorter than the long one (5m)",
                        "'burn_rate' must be greater than 0",
                        "severity 'urgent' must be page, ticket or info");
    }

    @Test
    void checksRegexesPatternsAndScopes() {
        assertThat(problems(rule(
                        "        kind: error_ratio\n        threshold: 0.1\n        where: {route: '=~(unclosed'}\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .startsWith("'where.route': invalid regular expression '(unclosed'");
        assertThat(problems(rule("        kind: log_pattern\n        pattern: '[a-'\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .startsWith("'pattern' is not a valid Java regular expression");
        assertThat(problems(rule("        kind: log_pattern\n        pattern: x\n        level: LOUD\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .startsWith("'level' must be one of");
        assertThat(problems(rule("        kind: heartbeat_absent\n        scope: pod\n")))
                .extracting(RuleProblem::message)
                .containsExactly("'scope' must be service or instance, not 'pod'");
        assertThat(problems(rule("        kind: new_error_group\n        by: [service]\n")))
                .extracting(RuleProblem::message)
                .containsExactly("kind new_error_group has fixed labels; remove 'by'");
        assertThat(problems(rule("        kind: new_error_group\n        where: {route: x}\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .contains("can only match on service, fingerprint, error_type, error_category");
    }

    @Test
    void requiresAnExistingRunbookAndValidTemplates() {
        String text = "groups:\n  - name: g\n    rules:\n      - alert: NoBook\n        kind: error_ratio\n"
                + "        threshold: 0.1\n        labels: {severity: page}\n"
                + "        annotations: {summary: '{{#open}} never closed'}\n";
        assertThat(problems(text))
                .extracting(RuleProblem::message)
                .anyMatch(m -> m.equals("runbook template 'no-book.md' does not exist"))
                .anyMatch(m -> m.startsWith("annotation 'summary' is not a valid Mustache template"));
        assertThat(problems(
                        rule("        kind: error_ratio\n        threshold: 0.1\n        runbook: ../etc/passwd\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .contains("without a path");
    }

    @Test
    void rejectsDuplicateKeysAndBadLabelNames() {
        assertThat(problems(rule("        kind: error_ratio\n        threshold: 0.1\n        threshold: 0.2\n")))
                .extracting(RuleProblem::message)
                .singleElement()
                .asString()
                .contains("'threshold' is given twice");
        String text = "groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        kind: error_ratio\n"
                + "        threshold: 0.1\n        labels: {severity: page, 'http.route': x, alertname: y}\n";
        assertThat(problems(text))
                .extracting(RuleProblem::message)
                .containsExactlyInAnyOrder(
                        "label name 'http.route' must match [A-Za-z_][A-Za-z0-9_]*",
                        "'alertname' is set from 'alert' and cannot be a label here");
    }

    @Test
    void reportsEveryProblemOfEveryFileAtOnce(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), rule("        kind: nope\n"));
        Files.writeString(
                dir.resolve("b.yml"),
                "groups:\n  - name: h\n    rules:\n      - alert: 9bad\n        kind: error_ratio\n"
                        + "        threshold: 0.1\n        labels: {severity: page}\n        runbook: x.md\n");
        Files.writeString(dir.resolve("ignored.txt"), "not yaml: [");
        RuleFileLoader l = RuleFileLoader.create(
                dir,
                Duration.ofSeconds(30),
                name -> TEMPLATES.contains(name) ? null : "missing " + name,
                Clock.systemUTC());
        assertThatThrownBy(l::load).isInstanceOfSatisfying(RuleLoadException.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.problems().get(0).file()).endsWith("a.yaml");
            assertThat(e.problems().get(1).toString())
                    .endsWith("b.yml:4:16: alert name '9bad' must match [A-Za-z][A-Za-z0-9_]*");
            assertThat(e.getMessage()).startsWith("2 problems in the alert rules:");
        });
    }

    @Test
    void missingFolderIsAProblem(@TempDir Path dir) {
        RuleFileLoader l =
                RuleFileLoader.create(dir.resolve("nope"), Duration.ofSeconds(30), n -> null, Clock.systemUTC());
        assertThatThrownBy(l::load).isInstanceOf(RuleLoadException.class).hasMessageContaining("does not exist");
    }

    @Test
    void kebabCaseFollowsTheSpec() {
        assertThat(RuleFileLoader.kebabCase("HighErrorRatio")).isEqualTo("high-error-ratio");
        assertThat(RuleFileLoader.kebabCase("SLOFastBurn")).isEqualTo("slo-fast-burn");
        assertThat(RuleFileLoader.kebabCase("HighLatencyP99")).isEqualTo("high-latency-p99");
        assertThat(RuleFileLoader.kebabCase("JvmHeapPressure")).isEqualTo("jvm-heap-pressure");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("1w");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("not a duration");
    }
}
