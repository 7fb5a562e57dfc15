package dev.vigil.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.collector.http.ApiRequest;
import dev.vigil.collector.http.ApiResponse;
import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertStore;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.Evaluator;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.LogPatternCounts;
import dev.vigil.collector.rules.MutableClock;
import dev.vigil.collector.rules.RuleFileLoader;
import dev.vigil.collector.rules.RuleInputs;
import dev.vigil.collector.runbooks.RunbookRenderer;
import dev.vigil.collector.runbooks.RunbookTemplates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsApiTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<RuleInputs.InstanceView> instances = new ArrayList<>();
    private AlertsDatabase db;
    private Evaluator evaluator;
    private AlertsApi api;
    private RuleReloader reloader;
    private final SelfMetrics metrics = SelfMetrics.standalone();
    private Path rules;
    private Path runbooks;

    private static final String RULES = """
            groups:
              - name: hb
                rules:
                  - alert: InstanceSilent
                    kind: heartbeat_absent
                    scope: instance
                    after: 1m
                    labels: {severity: page}
                    annotations: {summary: "{{instance}} silent since {{last_seen}}"}
            """;

    /** Inputs with only instances. */
    private final class Inputs implements RuleInputs {
        @Override
        public Map<dev.vigil.collector.rules.Labels, Double> increase(
                String m, List<dev.vigil.collector.rules.LabelMatcher> w, List<String> b, Duration d, Instant n) {
            return Map.of();
        }

        @Override
        public Map<dev.vigil.collector.rules.Labels, Double> aggregate(
                String m,
                Aggregation a,
                List<dev.vigil.collector.rules.LabelMatcher> w,
                List<String> b,
                Duration d,
                Instant n) {
            return Map.of();
        }

        @Override
        public Map<dev.vigil.collector.rules.Labels, Double> quantile(
                String m,
                double q,
                List<dev.vigil.collector.rules.LabelMatcher> w,
                List<String> b,
                Duration d,
                Instant n) {
            return Map.of();
        }

        @Override
        public List<ErrorGroupView> errorGroups() {
            return List.of();
        }

        @Override
        public long errorCount(String s, String f, Instant from, Instant to) {
            return 0;
        }

        @Override
        public List<InstanceView> instances() {
            return List.copyOf(instances);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        rules = Files.createDirectories(dir.resolve("rules"));
        runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(rules.resolve("hb.yaml"), RULES);
        Files.writeString(
                runbooks.resolve("instance-silent.md"),
                "# InstanceSilent\n\n`{{{instance}}}` last seen {{last_seen}}; <script>x</script>\n");
        db = AlertsDatabase.open(dir.resolve("state.db"));
        RuleFileLoader loader =
                RuleFileLoader.create(rules, Duration.ofSeconds(30), new RunbookTemplates(runbooks), clock);
        evaluator = Evaluator.create(
                loader.load(),
                new Inputs(),
                new LogPatternCounts(),
                new AlertStore(db),
                clock,
                new Links("http://c:9096", null));
        reloader = new RuleReloader(loader, runbooks, evaluator, metrics, clock);
        api = new AlertsApi(
                evaluator,
                new AlertHistory(db),
                new Silences(db),
                new NotificationOutbox(db),
                new RunbookRenderer(new RunbookTemplates(runbooks)),
                reloader,
                clock);
        instances.add(new RuleInputs.InstanceView("shop", "i-1", "h1", clock.instant(), false));
        clock.advance(Duration.ofMinutes(2));
        evaluator.evaluateAll();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static ApiRequest request(
            String method, String path, Map<String, String> params, String query, String body) {
        Map<String, List<String>> q = new java.util.LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                q.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
            }
        }
        return new ApiRequest(
                method, path, params, q, Map.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private String alertId() throws Exception {
        return json(api.listAlerts(request("GET", "/api/alerts", Map.of(), null, null)))
                .get(0)
                .get("id")
                .asText();
    }

    @Test
    void listsAlertsWithRunbookUrlAndAcknowledges() throws Exception {
        JsonNode alerts = json(api.listAlerts(request("GET", "/api/alerts", Map.of(), "state=firing", null)));
        assertThat(alerts).hasSize(1);
        String id = alerts.get(0).get("id").asText();
        assertThat(alerts.get(0).get("runbook_url").asText()).isEqualTo("http://c:9096/runbooks/" + id);
        assertThat(alerts.get(0).get("annotations").get("summary").asText())
                .startsWith("i-1 silent since 2026-01-01T00:00:00Z");
        ApiResponse ack = api.ack(request(
                "POST",
                "/api/alerts/" + id + "/ack",
                Map.of("id", id),
                null,
                "{\"by\": \"alice\", \"comment\": \"on it\"}"));
        assertThat(ack.status()).isEqualTo(200);
        assertThat(json(ack).get("ackedBy").asText()).isEqualTo("alice: on it");
        assertThat(api.ack(request("POST", "/x", Map.of("id", "nope"), null, null))
                        .status())
                .isEqualTo(404);
        assertThat(api.ack(request("POST", "/x", Map.of("id", id), null, "{not json"))
                        .status())
                .isEqualTo(400);
        JsonNode history = json(api.history(request("GET", "/api/alerts/history", Map.of(), "event=acked", null)));
        assertThat(history)
                .singleElement()
                .satisfies(e -> assertThat(e.get("alertId").asText()).isEqualTo(id));
        assertThat(api.history(request("GET", "/h", Map.of(), "since=yesterday", null))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void silencesFollowTheAlertmanagerModelAndRejectBadInput() throws Exception {
        ApiResponse created = api.createSilence(request("POST", "/api/silences", Map.of(), null, """
                {"matchers": [{"name": "service", "value": "shop", "isRegex": false, "isEqual": true}],
                 "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2026-01-01T04:00:00Z",
                 "createdBy": "alice", "comment": "maintenance"}"""));
        assertThat(created.status()).isEqualTo(200);
        String id = json(created).get("silenceID").asText();
        JsonNode listed = json(api.listSilences());
        assertThat(listed.get(0).get("status").get("state").asText()).isEqualTo("active");
        assertThat(json(api.listAlerts(request("GET", "/", Map.of(), null, null)))
                        .get(0)
                        .get("silencedBy")
                        .asText())
                .isEqualTo(id);
        List<String> bad = List.of(
                "not json",
                "[]",
                "{\"matchers\": [], \"endsAt\": \"2026-01-01T04:00:00Z\", \"createdBy\": \"a\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \".*\", \"isRegex\": true}], \"endsAt\": \"2026-01-01T04:00:00Z\", \"createdBy\": \"a\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \"(\", \"isRegex\": true}], \"endsAt\": \"2026-01-01T04:00:00Z\", \"createdBy\": \"a\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \"y\"}], \"createdBy\": \"a\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \"y\"}], \"endsAt\": \"2025-01-01T00:00:00Z\", \"createdBy\": \"a\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \"y\"}], \"endsAt\": \"2026-01-01T04:00:00Z\"}",
                "{\"matchers\": [{\"name\": \"x\", \"value\": \"y\"}], \"endsAt\": \"tomorrow\", \"createdBy\": \"a\"}");
        for (String body : bad) {
            ApiResponse r = api.createSilence(request("POST", "/api/silences", Map.of(), null, body));
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(body).isNotBlank();
        }
        assertThat(api.expireSilence(request("DELETE", "/", Map.of("id", id), null, null))
                        .status())
                .isEqualTo(200);
        assertThat(api.expireSilence(request("DELETE", "/", Map.of("id", id), null, null))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void runbookPagesNeverFail() throws Exception {
        String id = alertId();
        ApiResponse html = api.runbook(request("GET", "/runbooks/" + id, Map.of("id", id), null, null));
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(new String(html.body(), StandardCharsets.UTF_8))
                .contains("<h1>InstanceSilent</h1>", "<code>i-1</code>", "&lt;script&gt;")
                .doesNotContain("<script>");
        ApiResponse md = api.runbook(request("GET", "/runbooks/" + id, Map.of("id", id), "format=md", null));
        assertThat(new String(md.body(), StandardCharsets.UTF_8)).startsWith("# InstanceSilent\n\n`i-1` last seen");
        // The template breaks after the rules were loaded: the page shows the raw alert instead.
        Files.writeString(runbooks.resolve("instance-silent.md"), "# Broken {{#section}}\n");
        ApiResponse broken = api.runbook(request("GET", "/runbooks/" + id, Map.of("id", id), "format=md", null));
        assertThat(broken.status()).isEqualTo(200);
        assertThat(new String(broken.body(), StandardCharsets.UTF_8))
                .contains("this is not the runbook", "`instance`: `i-1`");
        ApiResponse unknown = api.runbook(request("GET", "/runbooks/nope", Map.of("id", "nope"), null, null));
        assertThat(unknown.status()).isEqualTo(404);
        ApiResponse byRule = api.ruleRunbook(request(
                "GET",
                "/runbooks/rules/InstanceSilent",
                Map.of("alertname", "InstanceSilent"),
                "service=shop&instance=i-7&format=md",
                null));
        assertThat(byRule.status()).isEqualTo(200);
        assertThat(new String(byRule.body(), StandardCharsets.UTF_8)).contains("this is not the runbook", "i-7");
    }

    @Test
    void invalidReloadKeepsTheRunningRulesAndSaysWhy() throws Exception {
        Files.writeString(rules.resolve("hb.yaml"), RULES.replace("scope: instance", "scope: pod"));
        ApiResponse r = api.reload();
        assertThat(r.status()).isEqualTo(422);
        JsonNode body = json(r);
        assertThat(body.get("problems").get(0).asText())
                .endsWith("hb.yaml:6:16: 'scope' must be service or instance, not 'pod'");
        assertThat(evaluator.rules().rule("InstanceSilent")).isNotNull();
        assertThat(metrics.reloadFailures()).isEqualTo(1);
        // A fixed file is picked up by the change check, without an API call.
        Files.writeString(
                rules.resolve("hb.yaml"),
                RULES.replace("InstanceSilent", "HostSilent")
                        .replace(
                                "labels: {severity: page}",
                                "labels: {severity: page}\n        runbook: instance-silent.md"));
        reloader.checkForChanges();
        assertThat(reloader.last().ok()).isTrue();
        assertThat(evaluator.rules().rule("HostSilent")).isNotNull();
        assertThat(evaluator.rules().rule("InstanceSilent")).isNull();
    }
}
