package dev.vigil.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertState;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.LabelMatcher;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.MutableClock;
import dev.vigil.collector.rules.RuleSet;
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

class DispatcherTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Links links = new Links("http://collector:9096/", null);
    private AlertsDatabase db;
    private NotificationOutbox outbox;
    private Silences silences;
    private final List<Alert> alerts = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = AlertsDatabase.open(dir.resolve("state.db"));
        outbox = new NotificationOutbox(db);
        silences = new Silences(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private NotifySettings settings(String groupWait, String groupInterval, String repeat) throws Exception {
        return NotifySettings.parse(Map.of(
                "receivers",
                        List.of(
                                Map.of("name", "hook", "type", "webhook", "url", "http://hook/alerts"),
                                Map.of("name", "pd", "type", "pagerduty", "routing_key", "key"),
                                Map.of(
                                        "name",
                                        "am",
                                        "type",
                                        "alertmanager",
                                        "urls",
                                        List.of("http://am1:9093", "http://am2:9093/"))),
                "route",
                        Map.of(
                                "receiver",
                                "hook",
                                "group_by",
                                List.of("alertname", "service"),
                                "group_wait",
                                groupWait,
                                "group_interval",
                                groupInterval,
                                "repeat_interval",
                                repeat,
                                "routes",
                                List.of(Map.of(
                                        "matchers",
                                        List.of("severity=\"page\""),
                                        "receiver",
                                        "pd",
                                        "continue",
                                        true)))));
    }

    private Dispatcher dispatcher(NotifySettings s) {
        return new Dispatcher(s, db, silences, links, () -> new RuleSet(List.of(), clock.instant()), clock, () -> {});
    }

    private Alert alert(String name, String service, String severity, AlertState state) {
        Labels labels = Labels.of("alertname", name, "service", service, "severity", severity);
        Instant t = clock.instant();
        return new Alert(
                labels.id(),
                name,
                labels,
                state,
                t,
                state == AlertState.PENDING ? null : t,
                state == AlertState.RESOLVED ? t : null,
                null,
                t,
                0.5,
                0.1,
                Map.of("summary", service + " fails"),
                Map.of(),
                null,
                null);
    }

    private void set(Alert a) {
        alerts.removeIf(x -> x.id().equals(a.id()));
        alerts.add(a);
    }

    private void evaluate(Dispatcher d) {
        d.onEvaluation(clock.instant(), List.copyOf(alerts), List.of());
    }

    private List<NotificationOutbox.Row> rows(String receiver) throws Exception {
        List<NotificationOutbox.Row> out = new ArrayList<>(outbox.list(null, 1000));
        out.removeIf(r -> !r.receiver().equals(receiver));
        java.util.Collections.reverse(out);
        return out;
    }

    private static JsonNode json(NotificationOutbox.Row r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void groupsWaitThenNotifyOnceWithRunbookUrls() throws Exception {
        Dispatcher d = dispatcher(settings("30s", "5m", "4h"));
        set(alert("HighErrorRatio", "shop", "ticket", AlertState.PENDING));
        evaluate(d);
        assertThat(rows("hook")).isEmpty(); // pending alerts are never sent
        set(alert("HighErrorRatio", "shop", "ticket", AlertState.FIRING));
        evaluate(d);
        assertThat(rows("hook")).isEmpty(); // group_wait
        clock.advance(Duration.ofSeconds(15));
        set(alert("HighErrorRatio", "shop", "ticket", AlertState.FIRING));
        Alert other = alert("HighErrorRatio", "shop", "info", AlertState.FIRING);
        set(other);
        evaluate(d);
        clock.advance(Duration.ofSeconds(15));
        d.tick();
        List<NotificationOutbox.Row> sent = rows("hook");
        assertThat(sent).hasSize(1);
        JsonNode body = json(sent.get(0));
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("receiver").asText()).isEqualTo("hook");
        assertThat(body.get("groupLabels").toString())
                .isEqualTo("{\"alertname\":\"HighErrorRatio\",\"service\":\"shop\"}");
        assertThat(body.get("alerts")).hasSize(2);
        assertThat(body.get("alerts")
                        .get(0)
                        .get("annotations")
                        .get("runbook_url")
                        .asText())
                .startsWith("http://collector:9096/runbooks/");
        assertThat(body.get("commonLabels").has("severity")).isFalse();
        assertThat(sent.get(0).headers()).containsKey("Idempotency-Key");
        // Nothing changed: no notification at the group interval.
        clock.advance(Duration.ofMinutes(5));
        evaluate(d);
        assertThat(rows("hook")).hasSize(1);
    }

    @Test
    void repeatsAfterRepeatIntervalUnlessAcknowledged() throws Exception {
        Dispatcher d = dispatcher(settings("0s", "1m", "10m"));
        Alert a = alert("X", "shop", "ticket", AlertState.FIRING);
        set(a);
        evaluate(d);
        assertThat(rows("hook")).hasSize(1);
        clock.advance(Duration.ofMinutes(10));
        evaluate(d);
        assertThat(rows("hook")).hasSize(2);
        set(a.acked(clock.instant(), "alice"));
        clock.advance(Duration.ofMinutes(10));
        evaluate(d);
        assertThat(rows("hook")).hasSize(2);
        // A new alert in the group is news even while the other is acknowledged.
        set(alert("X", "shop", "info", AlertState.FIRING));
        clock.advance(Duration.ofMinutes(1));
        evaluate(d);
        assertThat(rows("hook")).hasSize(3);
    }

    @Test
    void sendsResolveOnceAndForgetsTheGroup() throws Exception {
        Dispatcher d = dispatcher(settings("0s", "1m", "4h"));
        Alert a = alert("X", "shop", "ticket", AlertState.FIRING);
        set(a);
        evaluate(d);
        clock.advance(Duration.ofMinutes(1));
        set(alert("X", "shop", "ticket", AlertState.RESOLVED));
        evaluate(d);
        List<NotificationOutbox.Row> sent = rows("hook");
        assertThat(sent).hasSize(2);
        JsonNode resolved = json(sent.get(1));
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("alerts").get(0).get("endsAt").asText())
                .isEqualTo(clock.instant().toString());
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            evaluate(d);
        }
        assertThat(rows("hook")).hasSize(2);
        assertThat(d.groupKeys()).isEmpty();
    }

    @Test
    void resolvedBeforeAnyNotificationIsNeverSent() throws Exception {
        Dispatcher d = dispatcher(settings("30s", "1m", "4h"));
        set(alert("X", "shop", "ticket", AlertState.FIRING));
        evaluate(d);
        clock.advance(Duration.ofSeconds(10));
        set(alert("X", "shop", "ticket", AlertState.RESOLVED));
        evaluate(d);
        clock.advance(Duration.ofMinutes(1));
        evaluate(d);
        assertThat(rows("hook")).isEmpty();
    }

    @Test
    void restartNeitherRepeatsNorLosesTheResolve() throws Exception {
        NotifySettings s = settings("0s", "1m", "4h");
        Dispatcher first = dispatcher(s);
        set(alert("X", "shop", "ticket", AlertState.FIRING));
        evaluate(first);
        assertThat(rows("hook")).hasSize(1);

        Dispatcher second = dispatcher(s); // a restarted collector: fresh memory, same database
        clock.advance(Duration.ofMinutes(1));
        evaluate(second);
        assertThat(rows("hook")).hasSize(1);
        set(alert("X", "shop", "ticket", AlertState.RESOLVED));
        clock.advance(Duration.ofMinutes(1));
        evaluate(second);
        assertThat(rows("hook")).hasSize(2);
        assertThat(json(rows("hook").get(1)).get("status").asText()).isEqualTo("resolved");
    }

    @Test
    void routesPagesToPagerDutyWithOneIncidentPerGroup() throws Exception {
        Dispatcher d = dispatcher(settings("0s", "1m", "4h"));
        set(alert("HighErrorRatio", "shop", "page", AlertState.FIRING));
        evaluate(d);
        // The matching child takes it; as in Alertmanager, continue only goes on to later siblings.
        assertThat(rows("hook")).isEmpty();
        List<NotificationOutbox.Row> pd = rows("pd");
        assertThat(pd).hasSize(1);
        JsonNode trigger = json(pd.get(0));
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("routing_key").asText()).isEqualTo("key");
        assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
        assertThat(trigger.get("payload").get("summary").asText()).isEqualTo("shop fails");
        assertThat(trigger.get("links").get(0).get("href").asText()).startsWith("http://collector:9096/runbooks/");
        assertThat(pd.get(0).url()).isEqualTo(ReceiverConfig.PAGERDUTY_DEFAULT_URL);
        clock.advance(Duration.ofMinutes(1));
        set(alert("HighErrorRatio", "shop", "page", AlertState.RESOLVED));
        evaluate(d);
        JsonNode resolve = json(rows("pd").get(1));
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText())
                .isEqualTo(trigger.get("dedup_key").asText());
    }

    @Test
    void silencedAlertsAreNotRoutedButStillReachAlertmanager() throws Exception {
        Dispatcher d = dispatcher(settings("0s", "1m", "4h"));
        silences.create(
                List.of(LabelMatcher.create("service", "shop", false, true)),
                clock.instant(),
                clock.instant().plus(Duration.ofHours(1)),
                "alice",
                "deploy");
        set(alert("X", "shop", "ticket", AlertState.FIRING));
        set(alert("X", "cart", "ticket", AlertState.FIRING));
        evaluate(d);
        assertThat(rows("hook")).singleElement().satisfies(r -> assertThat(new String(r.body()))
                .contains("cart")
                .doesNotContain("\"shop\""));
        assertThat(rows("am")).hasSize(2);
    }

    @Test
    void alertmanagerGetsFiringEveryResendDelayAndResolvedFor15Minutes() throws Exception {
        Dispatcher d = dispatcher(settings("0s", "1m", "4h"));
        set(alert("X", "shop", "ticket", AlertState.FIRING));
        evaluate(d);
        List<NotificationOutbox.Row> am = rows("am");
        assertThat(am)
                .extracting(NotificationOutbox.Row::url)
                .containsExactly("http://am1:9093/api/v2/alerts", "http://am2:9093/api/v2/alerts");
        JsonNode pushed = json(am.get(0)).get(0);
        assertThat(pushed.get("labels").get("alertname").asText()).isEqualTo("X");
        assertThat(pushed.get("annotations").get("runbook_url").asText()).startsWith("http://collector:9096/runbooks/");
        // endsAt = now + 4 × max(eval interval 30s, resend delay 1m)
        assertThat(Instant.parse(pushed.get("endsAt").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(4)));
        clock.advance(Duration.ofSeconds(30));
        evaluate(d);
        assertThat(rows("am")).hasSize(2);
        clock.advance(Duration.ofSeconds(30));
        evaluate(d);
        assertThat(rows("am")).hasSize(4);
        set(alert("X", "shop", "ticket", AlertState.RESOLVED));
        Instant resolvedAt = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        evaluate(d);
        JsonNode resolved = json(rows("am").get(4)).get(0);
        assertThat(resolved.get("endsAt").asText()).isEqualTo(resolvedAt.toString());
        clock.advance(Duration.ofMinutes(1));
        evaluate(d);
        assertThat(rows("am")).hasSize(8);
    }
}
