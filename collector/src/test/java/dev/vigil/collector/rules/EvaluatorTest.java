package dev.vigil.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    private static final String REQ = "http.server.request.duration";
    private static final Labels SHOP = Labels.of("service", "shop");
    private static final Labels SHOP_FAIL = Labels.of("service", "shop", "error.type", "500");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeInputs inputs = new FakeInputs();
    private final LogPatternCounts logs = new LogPatternCounts();
    private AlertsDatabase db;

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private Evaluator evaluator(String rules) throws Exception {
        if (db == null) {
            db = AlertsDatabase.open(dir.resolve("state.db"));
        }
        RuleSet set = RuleFileLoader.create(dir, Duration.ofSeconds(30), n -> null, clock)
                .parse("r.yaml", rules);
        return Evaluator.create(set, inputs, logs, new AlertStore(db), clock, new Links("http://collector:9096", null));
    }

    private static final String ERROR_RATIO = """
            groups:
              - name: g
                rules:
                  - alert: HighErrorRatio
                    kind: error_ratio
                    window: 5m
                    threshold: 0.1
                    min_requests: 10
                    for: 2m
                    keep_firing_for: 1m
                    labels: {severity: page}
                    annotations: {summary: "{{service}}: {{value_percent}} fail"}
            """;

    private void failing(int ok, int failed) {
        inputs.observe(REQ, SHOP, clock.instant(), 0.1, ok);
        inputs.observe(REQ, SHOP_FAIL, clock.instant(), 0.1, failed);
    }

    private List<String> step(Evaluator e, Duration d) {
        clock.advance(d);
        return e.evaluateAll().stream().map(AlertEvent::kind).toList();
    }

    @Test
    void goesPendingFiringKeepsFiringThenResolves() throws Exception {
        Evaluator e = evaluator(ERROR_RATIO);
        failing(10, 5);
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending");
        Alert pending = e.alerts().get(0);
        assertThat(pending.labels().asMap())
                .containsEntry("alertname", "HighErrorRatio")
                .containsEntry("service", "shop")
                .containsEntry("severity", "page");
        assertThat(pending.annotations()).containsEntry("summary", "shop: 33.33% fail");
        failing(10, 5);
        assertThat(step(e, Duration.ofMinutes(1))).isEmpty();
        failing(10, 5);
        assertThat(step(e, Duration.ofMinutes(1))).containsExactly("firing");
        Alert firing = e.alert(pending.id());
        assertThat(firing.state()).isEqualTo(AlertState.FIRING);
        assertThat(firing.activeAt()).isEqualTo(pending.activeAt());
        // The failures stop: the window empties after 5 minutes, then keep_firing_for holds it one more minute.
        assertThat(step(e, Duration.ofMinutes(6))).isEmpty();
        assertThat(e.alert(pending.id()).state()).isEqualTo(AlertState.FIRING);
        assertThat(e.alert(pending.id()).keepFiringSince()).isNotNull();
        assertThat(step(e, Duration.ofMinutes(1))).containsExactly("resolved");
        assertThat(e.alert(pending.id()).resolvedAt()).isEqualTo(clock.instant());
        // Resolved alerts stay 15 minutes for re-sends, then go.
        step(e, Duration.ofMinutes(15));
        assertThat(e.alerts()).isEmpty();
    }

    @Test
    void pendingAlertThatClearsBecomesInactiveWithoutFiring() throws Exception {
        Evaluator e = evaluator(ERROR_RATIO);
        failing(10, 5);
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending");
        assertThat(step(e, Duration.ofMinutes(6))).containsExactly("inactive");
        assertThat(e.alerts()).isEmpty();
    }

    @Test
    void minRequestsKeepsQuietServicesInactive() throws Exception {
        Evaluator e = evaluator(ERROR_RATIO);
        failing(2, 5);
        assertThat(step(e, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void conditionReturningAfterResolveStartsANewPendingAlertWithTheSameId() throws Exception {
        Evaluator e = evaluator(
                ERROR_RATIO.replace("for: 2m", "for: 0s").replace("keep_firing_for: 1m", "keep_firing_for: 0s"));
        failing(10, 5);
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending", "firing");
        String id = e.alerts().get(0).id();
        assertThat(step(e, Duration.ofMinutes(6))).containsExactly("resolved");
        failing(10, 5);
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending", "firing");
        assertThat(e.alerts()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.activeAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void restartKeepsFiringAlertsAndStillResolvesThem() throws Exception {
        Evaluator first = evaluator(ERROR_RATIO.replace("for: 2m", "for: 0s"));
        failing(10, 5);
        step(first, Duration.ofSeconds(1));
        Alert firing = first.alerts().get(0);
        assertThat(firing.state()).isEqualTo(AlertState.FIRING);

        Evaluator second = evaluator(ERROR_RATIO.replace("for: 2m", "for: 0s"));
        assertThat(second.alert(firing.id())).isEqualTo(firing);
        assertThat(step(second, Duration.ofMinutes(6))).isEmpty(); // keep_firing_for 1m starts
        assertThat(step(second, Duration.ofMinutes(1))).containsExactly("resolved");
    }

    @Test
    void aFailingInputKeepsAlertsAsTheyWere() throws Exception {
        Evaluator e = evaluator(ERROR_RATIO.replace("for: 2m", "for: 0s"));
        failing(10, 5);
        step(e, Duration.ofSeconds(1));
        inputs.broken = true;
        assertThat(step(e, Duration.ofMinutes(10))).isEmpty();
        assertThat(e.alerts()).singleElement().extracting(Alert::state).isEqualTo(AlertState.FIRING);
        assertThat(e.evaluationFailures()).isEqualTo(1);
    }

    @Test
    void removedRuleResolvesItsAlerts() throws Exception {
        Evaluator e = evaluator(ERROR_RATIO.replace("for: 2m", "for: 0s"));
        failing(10, 5);
        step(e, Duration.ofSeconds(1));
        e.replaceRules(new RuleSet(List.of(), clock.instant()));
        assertThat(step(e, Duration.ofSeconds(30))).containsExactly("resolved");
    }

    @Test
    void groupIntervalIsHonoured() throws Exception {
        Evaluator e = evaluator(
                ERROR_RATIO.replace("for: 2m", "for: 0s").replace("- name: g", "- name: g\n    interval: 1m"));
        failing(10, 5);
        clock.advance(Duration.ofSeconds(1));
        assertThat(e.evaluateDue()).hasSize(2);
        failing(10, 500);
        clock.advance(Duration.ofSeconds(30));
        e.evaluateDue();
        assertThat(e.alerts().get(0).lastEvalAt()).isEqualTo(clock.instant().minusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        e.evaluateDue();
        assertThat(e.alerts().get(0).lastEvalAt()).isEqualTo(clock.instant());
    }

    @Test
    void sloBurnRateNeedsBothWindows() throws Exception {
        Evaluator e = evaluator("""
                groups:
                  - name: slo
                    rules:
                      - alert: SLOFastBurn
                        kind: slo_burn_rate
                        objective: 0.99
                        min_requests: 10
                        windows:
                          - {long: 1h, short: 5m, burn_rate: 10, severity: page}
                        labels: {severity: ticket}
                """);
        // 20% errors 30 minutes ago: long window burns 10x+, short window is clean.
        inputs.observe(REQ, SHOP, clock.instant(), 0.1, 80);
        inputs.observe(REQ, SHOP_FAIL, clock.instant(), 0.1, 20);
        assertThat(step(e, Duration.ofMinutes(30))).isEmpty();
        failing(8, 2);
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending", "firing");
        Alert a = e.alerts().get(0);
        assertThat(a.labels().asMap()).containsEntry("window", "1h/5m").containsEntry("severity", "page");
        assertThat(a.value()).isEqualTo(20.0, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void errorGroupKindsAndSpike() throws Exception {
        Evaluator e = evaluator("""
                groups:
                  - name: errors
                    rules:
                      - {alert: NewErrorGroup, kind: new_error_group, where: {error_category: "!=invalid_input"}, labels: {severity: ticket}}
                      - {alert: RegressedErrorGroup, kind: regressed_error_group, labels: {severity: ticket}}
                      - {alert: ErrorSpike, kind: error_spike, window: 5m, baseline: 1h, factor: 5, min_count: 10, labels: {severity: page}}
                """);
        Instant now = clock.instant();
        inputs.groups.add(new RuleInputs.ErrorGroupView(
                "g1",
                "shop",
                "fp1",
                "java.sql.SQLException",
                "boom",
                "bug",
                false,
                "new",
                now.minusSeconds(60),
                now,
                null,
                3,
                "stack",
                List.of("t1"),
                List.of()));
        inputs.groups.add(new RuleInputs.ErrorGroupView(
                "g2",
                "shop",
                "fp2",
                "BadInput",
                "bad",
                "invalid_input",
                false,
                "new",
                now.minusSeconds(60),
                now,
                null,
                3,
                null,
                List.of(),
                List.of()));
        inputs.groups.add(new RuleInputs.ErrorGroupView(
                "g3",
                "shop",
                "fp3",
                "Timeout",
                "t",
                "timeout",
                true,
                "regressed",
                now.minus(Duration.ofDays(2)),
                now,
                now.minusSeconds(30),
                900,
                null,
                List.of(),
                List.of()));
        inputs.error("shop", "fp1", now.minusSeconds(60), 3);
        inputs.error("shop", "fp2", now.minusSeconds(60), 3);
        inputs.error("shop", "fp3", now.minus(Duration.ofMinutes(30)), 2);
        inputs.error("shop", "fp3", now.minusSeconds(30), 40);
        step(e, Duration.ofSeconds(1));
        assertThat(e.alerts())
                .extracting(a -> a.rule() + ":" + a.labels().get("fingerprint"))
                .containsExactlyInAnyOrder("NewErrorGroup:fp1", "RegressedErrorGroup:fp3", "ErrorSpike:fp3");
        Alert spike = e.alerts().stream()
                .filter(a -> a.rule().equals("ErrorSpike"))
                .findFirst()
                .orElseThrow();
        // 40 in 5m against 2 in the hour before: 8/min vs 1/30 per min = 240x.
        assertThat(spike.value()).isEqualTo(240.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void heartbeatAbsenceIgnoresGracefulStops() throws Exception {
        Evaluator e = evaluator("""
                groups:
                  - name: hb
                    rules:
                      - {alert: ServiceSilent, kind: heartbeat_absent, scope: service, after: 2m, labels: {severity: page}}
                      - {alert: InstanceSilent, kind: heartbeat_absent, scope: instance, after: 5m, labels: {severity: ticket}}
                """);
        Instant now = clock.instant();
        inputs.instances.add(
                new RuleInputs.InstanceView("shop", "i-1", "h1", now.minus(Duration.ofMinutes(10)), false));
        inputs.instances.add(new RuleInputs.InstanceView("shop", "i-2", "h2", now.minus(Duration.ofMinutes(10)), true));
        inputs.instances.add(new RuleInputs.InstanceView("cart", "i-3", "h3", now.minus(Duration.ofMinutes(10)), true));
        step(e, Duration.ofSeconds(1));
        assertThat(e.alerts())
                .extracting(a -> a.rule() + ":" + a.labels().get("service") + ":"
                        + a.labels().get("instance"))
                .containsExactlyInAnyOrder("ServiceSilent:shop:", "InstanceSilent:shop:i-1");
        assertThat(e.alerts()).allSatisfy(a -> assertThat(a.context()).containsKey("last_seen"));
    }

    @Test
    void thresholdRatioAndGaugeFunctions() throws Exception {
        Evaluator e = evaluator("""
                groups:
                  - name: t
                    rules:
                      - alert: DependencyUnavailable
                        kind: threshold
                        metric: http.client.request.duration
                        function: increase
                        window: 5m
                        where: {error.type: "=~.*ConnectException.*"}
                        ratio_to: {metric: http.client.request.duration, function: increase}
                        min_requests: 10
                        threshold: 0.2
                        by: [service, server.address]
                        labels: {severity: page}
                      - {alert: JvmHeapPressure, kind: threshold, metric: jvm.memory.usage.after.gc, function: min, window: 5m, threshold: 0.9, by: [service], labels: {severity: ticket}}
                """);
        Labels db = Labels.of("service", "shop", "server.address", "db");
        inputs.observe("http.client.request.duration", db, clock.instant(), 1, 7);
        inputs.observe(
                "http.client.request.duration",
                db.with("error.type", "java.net.ConnectException"),
                clock.instant(),
                1,
                3);
        inputs.gauge("jvm.memory.usage.after.gc", SHOP, clock.instant(), 0.95);
        inputs.gauge("jvm.memory.usage.after.gc", SHOP, clock.instant().plusMillis(500), 0.85);
        step(e, Duration.ofSeconds(1));
        assertThat(e.alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("DependencyUnavailable");
            assertThat(a.labels().asMap()).containsEntry("server_address", "db");
            assertThat(a.value()).isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void logPatternCountsMatchingRecords() throws Exception {
        Evaluator e = evaluator("""
                groups:
                  - name: logs
                    rules:
                      - {alert: OomLogged, kind: log_pattern, pattern: "OutOfMemoryError", level: ERROR, threshold: 1, labels: {severity: page}}
                """);
        Labels attrs = Labels.of("service", "shop", "instance", "i-1");
        logs.accept(new LogPatternCounts.LogRecordView(
                clock.instant(), LogLevel.ERROR, "java.lang.OutOfMemoryError: heap", attrs));
        logs.accept(new LogPatternCounts.LogRecordView(clock.instant(), LogLevel.WARN, "OutOfMemoryError soon", attrs));
        assertThat(step(e, Duration.ofSeconds(1))).isEmpty();
        logs.accept(
                new LogPatternCounts.LogRecordView(clock.instant(), LogLevel.FATAL, "OutOfMemoryError again", attrs));
        assertThat(step(e, Duration.ofSeconds(1))).containsExactly("pending", "firing");
        assertThat(step(e, Duration.ofMinutes(6))).containsExactly("resolved");
    }
}
