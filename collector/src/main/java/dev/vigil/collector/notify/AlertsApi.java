package dev.vigil.collector.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.collector.http.Access;
import dev.vigil.collector.http.ApiRequest;
import dev.vigil.collector.http.ApiResponse;
import dev.vigil.collector.http.RouteRegistry;
import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertRule;
import dev.vigil.collector.rules.AlertState;
import dev.vigil.collector.rules.Evaluator;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.LabelMatcher;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.runbooks.RunbookRenderer;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting routes of the API port: alerts, history, acknowledgements, silences, the outbox,
 * rule reload and runbook pages. A store failure answers 503 (try again), never a half-done change.
 */
public final class AlertsApi {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsApi.class);

    private final Evaluator evaluator;
    private final AlertHistory history;
    private final Silences silences;
    private final NotificationOutbox outbox;
    private final RunbookRenderer runbooks;
    private final RuleReloader reloader;
    private final Clock clock;

    public AlertsApi(
            Evaluator evaluator,
            AlertHistory history,
            Silences silences,
            NotificationOutbox outbox,
            RunbookRenderer runbooks,
            RuleReloader reloader,
            Clock clock) {
        this.evaluator = requireNonNull(evaluator, "evaluator");
        this.history = requireNonNull(history, "history");
        this.silences = requireNonNull(silences, "silences");
        this.outbox = requireNonNull(outbox, "outbox");
        this.runbooks = requireNonNull(runbooks, "runbooks");
        this.reloader = requireNonNull(reloader, "reloader");
        this.clock = requireNonNull(clock, "clock");
    }

    public void register(RouteRegistry routes) {
        routes.register("GET", "/api/alerts", Access.READ, this::listAlerts);
        routes.register("GET", "/api/alerts/history", Access.READ, this::history);
        routes.register("GET", "/api/alerts/{id}", Access.READ, this::getAlert);
        routes.register("POST", "/api/alerts/{id}/ack", Access.READ, this::ack);
        routes.register("GET", "/api/silences", Access.READ, r -> listSilences());
        routes.register("POST", "/api/silences", Access.READ, this::createSilence);
        routes.register("DELETE", "/api/silences/{id}", Access.READ, this::expireSilence);
        routes.register("GET", "/api/notifications/outbox", Access.READ, this::listOutbox);
        routes.register("POST", "/api/reload", Access.ADMIN, r -> reload());
        routes.register("GET", "/api/rules", Access.READ, r -> listRules());
        routes.register("GET", "/runbooks/{id}", Access.PUBLIC, this::runbook);
        routes.register("GET", "/runbooks/rules/{alertname}", Access.PUBLIC, this::ruleRunbook);
    }

    ApiResponse listAlerts(ApiRequest r) {
        String state = r.queryParam("state", null);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Alert a : evaluator.alerts()) {
            if (state == null || a.state().lower().equals(state)) {
                out.add(view(a));
            }
        }
        return ApiResponse.json(200, out);
    }

    ApiResponse getAlert(ApiRequest r) {
        Alert a = evaluator.alert(r.pathParam("id"));
        return a == null
                ? ApiResponse.error(404, "no current alert with id " + r.pathParam("id"))
                : ApiResponse.json(200, view(a));
    }

    private Map<String, Object> view(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("alertname", a.rule());
        m.put("state", a.state().lower());
        m.put("labels", a.labels().asMap());
        m.put("annotations", a.annotations());
        m.put("value", Double.isFinite(a.value()) ? a.value() : null);
        m.put("activeAt", a.activeAt().toString());
        m.put("startsAt", a.startsAt().toString());
        m.put("firedAt", a.firedAt() == null ? null : a.firedAt().toString());
        m.put("resolvedAt", a.resolvedAt() == null ? null : a.resolvedAt().toString());
        m.put("ackedAt", a.ackedAt() == null ? null : a.ackedAt().toString());
        m.put("ackedBy", a.ackedBy());
        Silences.Silence s = silences.silencing(a.labels(), clock.instant());
        m.put("silencedBy", s == null ? null : s.id());
        m.put("runbook_url", evaluator.links().runbook(a.id()));
        return m;
    }

    ApiResponse history(ApiRequest r) throws SQLException {
        Instant since;
        Instant until;
        int limit;
        try {
            since = instant(r.queryParam("since", null));
            until = instant(r.queryParam("until", null));
            limit = Integer.parseInt(r.queryParam("limit", "200"));
        } catch (DateTimeParseException | NumberFormatException e) {
            return ApiResponse.error(
                    400,
                    "since/until must be RFC 3339 times (2026-01-01T00:00:00Z) and limit a number: " + e.getMessage());
        }
        List<AlertHistory.Entry> entries = history.query(new AlertHistory.Filter(
                r.queryParam("alert_id", null),
                r.queryParam("alertname", null),
                r.queryParam("event", null),
                since,
                until,
                limit));
        return ApiResponse.json(200, entries);
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    ApiResponse ack(ApiRequest r) throws SQLException {
        String by = "api";
        String comment = "";
        if (r.body().length > 0) {
            try {
                JsonNode body = Json.MAPPER.readTree(r.body());
                by = body.path("by").asText(by);
                comment = body.path("comment").asText("");
            } catch (IOException e) {
                return ApiResponse.error(
                        400, "the body must be JSON like {\"by\": \"alice\", \"comment\": \"...\"}: " + e.getMessage());
            }
        }
        Alert acked = evaluator.acknowledge(
                r.pathParam("id"), by + (comment.isEmpty() ? "" : ": " + comment), clock.instant());
        if (acked == null) {
            return ApiResponse.error(404, "no pending or firing alert with id " + r.pathParam("id"));
        }
        return ApiResponse.json(200, view(acked));
    }

    ApiResponse listSilences() {
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Silences.Silence s : silences.all()) {
            out.add(silenceView(s, now));
        }
        return ApiResponse.json(200, out);
    }

    private static Map<String, Object> silenceView(Silences.Silence s, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("matchers", Silences.toMaps(s.matchers()));
        m.put("startsAt", s.startsAt().toString());
        m.put("endsAt", s.endsAt().toString());
        m.put("createdBy", s.createdBy());
        m.put("comment", s.comment());
        m.put("status", Map.of("state", s.status(now)));
        return m;
    }

    /** Alertmanager's {@code postableSilence}: matchers, startsAt, endsAt, createdBy, comment. */
    ApiResponse createSilence(ApiRequest r) throws SQLException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            return ApiResponse.error(400, "the body must be a JSON silence: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            return ApiResponse.error(
                    400, "the body must be a JSON object with matchers, startsAt, endsAt, createdBy, comment");
        }
        try {
            List<LabelMatcher> matchers = new ArrayList<>();
            JsonNode list = body.path("matchers");
            if (!list.isArray()) {
                return ApiResponse.error(400, "matchers must be a list of {name, value, isRegex, isEqual}");
            }
            for (JsonNode m : list) {
                if (!m.path("name").isTextual() || !m.path("value").isTextual()) {
                    return ApiResponse.error(400, "each matcher needs a name and a value (strings)");
                }
                matchers.add(LabelMatcher.create(
                        m.path("name").asText(),
                        m.path("value").asText(),
                        m.path("isRegex").asBoolean(false),
                        m.path("isEqual").asBoolean(true)));
            }
            Instant now = clock.instant();
            Instant startsAt = body.hasNonNull("startsAt")
                    ? Instant.parse(body.get("startsAt").asText())
                    : now;
            if (!body.hasNonNull("endsAt")) {
                return ApiResponse.error(400, "endsAt is required");
            }
            Instant endsAt = Instant.parse(body.get("endsAt").asText());
            Silences.Silence s = silences.create(
                    matchers,
                    startsAt,
                    endsAt,
                    body.path("createdBy").asText(""),
                    body.path("comment").asText(""));
            LOG.info("silence {} created by {} until {}: {}", s.id(), s.createdBy(), s.endsAt(), s.matchers());
            return ApiResponse.json(200, Map.of("silenceID", s.id()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return ApiResponse.error(400, e.getMessage());
        }
    }

    ApiResponse expireSilence(ApiRequest r) throws SQLException {
        if (!silences.expire(r.pathParam("id"), clock.instant())) {
            return ApiResponse.error(404, "no active or pending silence with id " + r.pathParam("id"));
        }
        return ApiResponse.json(200, Map.of("expired", r.pathParam("id")));
    }

    ApiResponse listOutbox(ApiRequest r) throws SQLException {
        String status = r.queryParam("status", null);
        int limit;
        try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(r.queryParam("limit", "100"))));
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "limit must be a number");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (NotificationOutbox.Row row : outbox.list(status, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", row.seq());
            m.put("dedupKey", row.dedupKey());
            m.put("receiver", row.receiver());
            m.put("url", row.url());
            m.put("status", row.status());
            m.put("attempts", row.attempts());
            m.put("createdAt", row.createdAt().toString());
            m.put("nextAttemptAt", row.nextAttemptAt().toString());
            m.put("lastStatus", row.lastStatus());
            m.put("lastError", row.lastError());
            m.put("alertIds", row.alertIds());
            out.add(m);
        }
        return ApiResponse.json(200, out);
    }

    ApiResponse reload() {
        RuleReloader.Result result = reloader.reload("POST /api/reload");
        return ApiResponse.json(result.ok() ? 200 : 422, result.view());
    }

    ApiResponse listRules() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AlertRule rule : evaluator.rules().rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert", rule.name());
            m.put("kind", rule.kind());
            m.put("group", rule.group());
            m.put("for", rule.forDuration().toString());
            m.put("labels", rule.labels());
            m.put("runbook", rule.runbook());
            m.put("source", rule.source());
            out.add(m);
        }
        return ApiResponse.json(200, out);
    }

    /** HTML (or Markdown with {@code ?format=md}); never a 500: a broken template yields the raw data. */
    ApiResponse runbook(ApiRequest r) {
        String id = r.pathParam("id");
        boolean md = "md".equals(r.queryParam("format", "html"));
        Alert alert;
        try {
            alert = evaluator.alert(id);
            if (alert == null) {
                alert = fromHistory(id);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("runbook {}: alert lookup failed: {}", id, e.toString());
            return page(
                    md,
                    503,
                    "# Runbook unavailable\n\nThe collector could not read its state (" + e.getMessage()
                            + "). Try again in a moment.\n");
        }
        if (alert == null) {
            return page(
                    md,
                    404,
                    "# Unknown alert\n\nNo alert with id `" + id.replace("`", "")
                            + "` is known (resolved alerts are kept for 15 minutes; the history keeps the rest:"
                            + " `/api/alerts/history?alert_id=" + id.replace("`", "") + "`).\n");
        }
        AlertRule rule = evaluator.rules().rule(alert.rule());
        Map<String, Object> vars;
        try {
            vars = evaluator.variables(alert, rule);
        } catch (RuntimeException e) {
            vars = Map.of();
        }
        RunbookRenderer.Rendered rendered = runbooks.markdown(alert, rule, vars);
        if (!rendered.fromTemplate()) {
            LOG.warn("runbook of alert {} ({}) fell back to raw data: {}", id, alert.rule(), rendered.problem());
        }
        return page(md, 200, rendered.markdown());
    }

    /**
     * The runbook of a rule for the labels in the query string: the target of {@code runbook_url}
     * in the Prometheus export, where the collector may not know the alert itself.
     */
    ApiResponse ruleRunbook(ApiRequest r) {
        boolean md = "md".equals(r.queryParam("format", "html"));
        AlertRule rule = evaluator.rules().rule(r.pathParam("alertname"));
        if (rule == null) {
            return page(
                    md,
                    404,
                    "# Unknown rule\n\nNo rule named `"
                            + r.pathParam("alertname").replace("`", "") + "` is loaded (see `/api/rules`).\n");
        }
        Map<String, String> labels = new LinkedHashMap<>(rule.labels());
        double value = Double.NaN;
        for (Map.Entry<String, List<String>> q : r.query().entrySet()) {
            if (q.getValue().isEmpty() || q.getKey().equals("format")) {
                continue;
            }
            if (q.getKey().equals("value")) {
                try {
                    value = Double.parseDouble(q.getValue().get(0));
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
            } else if (q.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                labels.put(q.getKey(), q.getValue().get(0));
            }
        }
        labels.put("alertname", rule.name());
        Labels all = Labels.of(labels);
        Instant now = clock.instant();
        Alert known = evaluator.alert(all.id());
        Alert alert = known != null
                ? known
                : new Alert(
                        all.id(),
                        rule.name(),
                        all,
                        AlertState.FIRING,
                        now,
                        now,
                        null,
                        null,
                        now,
                        value,
                        Double.NaN,
                        Map.of(),
                        Map.of(),
                        null,
                        null);
        Map<String, Object> vars;
        try {
            vars = evaluator.variables(alert, rule);
        } catch (RuntimeException e) {
            vars = Map.of();
        }
        return page(md, 200, runbooks.markdown(alert, rule, vars).markdown());
    }

    private Alert fromHistory(String id) throws SQLException {
        List<AlertHistory.Entry> entries = history.query(new AlertHistory.Filter(id, null, null, null, null, 1));
        if (entries.isEmpty() || entries.get(0).alertname().isEmpty()) {
            return null;
        }
        AlertHistory.Entry e = entries.get(0);
        return new Alert(
                id,
                e.alertname(),
                Labels.of(e.labels()),
                AlertState.RESOLVED,
                e.at(),
                null,
                e.at(),
                null,
                e.at(),
                Double.NaN,
                Double.NaN,
                Map.of(),
                Map.of(),
                null,
                null);
    }

    private static ApiResponse page(boolean md, int status, String markdown) {
        if (md) {
            return ApiResponse.text(status, "text/markdown; charset=utf-8", markdown);
        }
        String title = markdown.lines().findFirst().orElse("Runbook").replaceFirst("^#\\s*", "");
        return ApiResponse.text(status, "text/html; charset=utf-8", RunbookRenderer.html(title, markdown));
    }
}
