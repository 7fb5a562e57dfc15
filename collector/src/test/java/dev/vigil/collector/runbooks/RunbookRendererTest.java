package dev.vigil.collector.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertRule;
import dev.vigil.collector.rules.AlertState;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.RuleFileLoader;
import dev.vigil.collector.rules.RuleInputs.ErrorGroupView;
import dev.vigil.collector.rules.RuleSet;
import dev.vigil.collector.rules.TemplateVariables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookRendererTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Alert alert(String rule, Labels labels) {
        Labels all = labels.with("alertname", rule).with("severity", "page");
        return new Alert(
                all.id(),
                rule,
                all,
                AlertState.FIRING,
                NOW.minusSeconds(120),
                NOW,
                null,
                null,
                NOW,
                0.0734,
                0.05,
                Map.of(),
                Map.of("fingerprint", "fp1", "last_seen", NOW.minusSeconds(300).toString()),
                null,
                null);
    }

    private static ErrorGroupView group() {
        return new ErrorGroupView(
                "g1",
                "shop",
                "fp1",
                "java.sql.SQLTransientConnectionException",
                "pool exhausted",
                "unavailable",
                true,
                "new",
                NOW.minusSeconds(600),
                NOW,
                null,
                42,
                "java.sql.SQLTransientConnectionException: pool exhausted\n\tat shop.Repo.<init>(Repo.java:10)",
                List.of("4bf92f3577b34da6a3ce929d0e0e4736"),
                List.of("ERROR checkout failed <b>"));
    }

    @Test
    void everyShippedRunbookRendersWithEveryVariable() throws Exception {
        RunbookTemplates templates = new RunbookTemplates(ROOT.resolve("runbook-templates"));
        RuleSet rules = RuleFileLoader.create(
                        ROOT.resolve("alert-rules"), Duration.ofSeconds(30), templates, Clock.systemUTC())
                .load();
        RunbookRenderer renderer = new RunbookRenderer(templates);
        Links links = new Links("http://collector:9096", "http://prometheus:9090");
        for (AlertRule rule : rules.rules()) {
            Labels labels = Labels.of(
                    "service",
                    "shop",
                    "instance",
                    "i-1",
                    "host",
                    "h1",
                    "http_route",
                    "/cart/{id}",
                    "server_address",
                    "db.internal",
                    "db_system_name",
                    "postgresql",
                    "receiver",
                    "hook",
                    "window",
                    "1h/5m",
                    "fingerprint",
                    "fp1",
                    "error_type",
                    "java.sql.SQLException",
                    "error_category",
                    "unavailable");
            Alert a = alert(rule.name(), labels);
            Map<String, Object> vars = TemplateVariables.of(a, rule, group(), links, "up");
            RunbookRenderer.Rendered r = renderer.markdown(a, rule, vars);
            assertThat(r.fromTemplate()).as(rule.name() + ": " + r.problem()).isTrue();
            assertThat(r.markdown())
                    .as(rule.name())
                    .startsWith("# " + rule.name())
                    .contains("## Meaning", "## Impact", "## Diagnosis", "## Mitigation")
                    .doesNotContain("{{");
            String html = RunbookRenderer.html(rule.name(), r.markdown());
            assertThat(html).contains("<h2>Meaning</h2>").doesNotContain("<b>");
        }
    }

    @Test
    void highErrorRatioRunbookShowsTheErrorGroupAndLinks() throws Exception {
        RunbookTemplates templates = new RunbookTemplates(ROOT.resolve("runbook-templates"));
        RuleSet rules = RuleFileLoader.create(
                        ROOT.resolve("alert-rules"), Duration.ofSeconds(30), templates, Clock.systemUTC())
                .load();
        AlertRule rule = rules.rule("HighErrorRatio");
        Alert a = alert("HighErrorRatio", Labels.of("service", "shop"));
        Map<String, Object> vars = TemplateVariables.of(a, rule, group(), new Links("http://c:9096", null), null);
        String md = new RunbookRenderer(templates).markdown(a, rule, vars).markdown();
        assertThat(md)
                .contains(
                        "7.34%",
                        "threshold 5%",
                        "`shop`",
                        "shop.Repo.<init>(Repo.java:10)",
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        "http://c:9096/api/errors/g1",
                        "http://c:9096/api/alerts/" + a.id() + "/ack");
        String html = RunbookRenderer.html("HighErrorRatio", md);
        assertThat(html).contains("shop.Repo.&lt;init&gt;(Repo.java:10)");
    }

    @Test
    void brokenOrMissingTemplatesFallBackToRawAlertData(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.md"), "# X\n{{#error_group}}never closed\n");
        RunbookTemplates templates = new RunbookTemplates(dir);
        assertThat(templates.problem("broken.md")).contains("not valid Mustache");
        assertThat(templates.problem("missing.md")).contains("does not exist");
        RunbookRenderer renderer = new RunbookRenderer(templates);
        Alert a = alert("X", Labels.of("service", "shop"));
        AlertRule rule = new AlertRule(
                "X",
                "g",
                Duration.ofSeconds(30),
                Duration.ZERO,
                Duration.ZERO,
                Map.of("severity", "page"),
                Map.of(),
                "broken.md",
                List.of(),
                List.of(),
                "r.yaml:1",
                new dev.vigil.collector.rules.Condition.RegressedErrorGroup(Duration.ofMinutes(15)));
        Map<String, Object> vars = TemplateVariables.of(a, rule, group(), new Links("http://c", null), null);
        RunbookRenderer.Rendered r = renderer.markdown(a, rule, vars);
        assertThat(r.fromTemplate()).isFalse();
        assertThat(r.markdown())
                .contains(
                        "this is not the runbook", "broken.md", "`service`: `shop`", "shop.Repo.<init>(Repo.java:10)");
        RunbookRenderer.Rendered gone = renderer.markdown(a, null, vars);
        assertThat(gone.markdown()).contains("no longer loaded");
    }
}
