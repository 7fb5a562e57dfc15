package dev.vigil.collector.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertEvent;
import dev.vigil.collector.rules.AlertHistory;
import dev.vigil.collector.rules.AlertListener;
import dev.vigil.collector.rules.AlertRule;
import dev.vigil.collector.rules.AlertState;
import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.rules.Links;
import dev.vigil.collector.rules.RuleSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alert state into outbox rows. Alertmanager receivers get every firing and resolved alert
 * pushed, re-sent every resend delay as Prometheus does (resolved ones while they are kept, 15
 * minutes). Other receivers get Alertmanager-style routing and grouping: an aggregation group per
 * route and {@code group_by} values, first flushed after {@code group_wait}, then every
 * {@code group_interval} when something changed, and again after {@code repeat_interval} while
 * unacknowledged alerts fire. What each group last sent is persisted (the notification log) in the
 * same transaction as the outbox rows, so after a restart nothing is sent twice and resolves are
 * still sent. Silenced alerts are left out of routed notifications.
 */
public final class Dispatcher implements AlertListener {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final NotifySettings settings;
    private final AlertsDatabase db;
    private final Silences silences;
    private final Links links;
    private final Supplier<RuleSet> rules;
    private final Clock clock;
    private final Runnable wakeSender;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Instant> amSentAt = new HashMap<>();
    private final Map<String, AlertState> amSentState = new HashMap<>();
    private final Set<String> silencedNoted = new HashSet<>();
    private Map<String, Alert> current = Map.of();

    private static final class Group {
        final String key;
        final ReceiverConfig receiver;
        final RouteConfig route;
        final Labels groupLabels;
        final Map<String, Alert> alerts = new LinkedHashMap<>();
        Instant nextFlush;

        Group(String key, ReceiverConfig receiver, RouteConfig route, Labels groupLabels, Instant nextFlush) {
            this.key = key;
            this.receiver = receiver;
            this.route = route;
            this.groupLabels = groupLabels;
            this.nextFlush = nextFlush;
        }
    }

    public Dispatcher(
            NotifySettings settings,
            AlertsDatabase db,
            Silences silences,
            Links links,
            Supplier<RuleSet> rules,
            Clock clock,
            Runnable wakeSender) {
        this.settings = requireNonNull(settings, "settings");
        this.db = requireNonNull(db, "db");
        this.silences = requireNonNull(silences, "silences");
        this.links = requireNonNull(links, "links");
        this.rules = requireNonNull(rules, "rules");
        this.clock = requireNonNull(clock, "clock");
        this.wakeSender = requireNonNull(wakeSender, "wakeSender");
    }

    @Override
    public synchronized void onEvaluation(Instant now, List<Alert> alerts, List<AlertEvent> events) {
        Map<String, Alert> next = new LinkedHashMap<>();
        for (Alert a : alerts) {
            if (a.state() != AlertState.PENDING) {
                next.put(a.id(), a);
            }
        }
        current = next;
        try {
            pushToAlertmanagers(now);
        } catch (SQLException e) {
            LOG.error("cannot store Alertmanager notifications; they are retried next round: " + e, e);
        }
        regroup(now);
        tick();
    }

    /** Flushes the groups that are due; called every second by the collector and after each evaluation. */
    public synchronized void tick() {
        Instant now = clock.instant();
        boolean enqueued = false;
        for (Group g : new ArrayList<>(groups.values())) {
            if (g.nextFlush.isAfter(now)) {
                continue;
            }
            try {
                enqueued |= flush(g, now);
                g.nextFlush = now.plus(g.route.groupInterval());
            } catch (SQLException e) {
                // Nothing was written; the next tick tries the same flush again.
                LOG.error("cannot store the notification of group " + g.key + "; retrying: " + e, e);
                continue;
            }
            g.alerts.values().removeIf(a -> a.state() == AlertState.RESOLVED);
            if (g.alerts.isEmpty()) {
                groups.remove(g.key);
            }
        }
        if (enqueued) {
            wakeSender.run();
        }
    }

    private void regroup(Instant now) {
        Set<String> silencedNow = new HashSet<>();
        Map<String, Set<String>> membership = new HashMap<>();
        for (Alert a : current.values()) {
            Silences.Silence s = silences.silencing(a.labels(), now);
            if (s != null) {
                silencedNow.add(a.id());
                if (silencedNoted.add(a.id())) {
                    history(
                            a.id(),
                            "silenced",
                            "by silence " + s.id() + " (" + s.createdBy() + ": " + s.comment() + ")",
                            now);
                }
                continue;
            }
            for (RouteConfig r : settings.route().match(a.labels())) {
                ReceiverConfig receiver = r.receiver() == null ? null : settings.receiver(r.receiver());
                if (receiver == null || receiver.type() == ReceiverConfig.Type.ALERTMANAGER) {
                    continue;
                }
                Labels groupLabels = r.groupsByAll() ? a.labels() : a.labels().select(r.groupBy());
                String key = "{}/" + r.id() + ":" + receiver.name() + ":" + groupLabels.asMap();
                Group g = groups.get(key);
                if (g == null) {
                    if (a.state() == AlertState.RESOLVED && !wasNotified(receiver.name(), key, a.id())) {
                        continue; // resolved before any group took it: nothing to tell
                    }
                    g = new Group(key, receiver, r, groupLabels, now.plus(r.groupWait()));
                    groups.put(key, g);
                }
                g.alerts.put(a.id(), a);
                membership.computeIfAbsent(key, k -> new HashSet<>()).add(a.id());
            }
        }
        silencedNoted.retainAll(silencedNow);
        for (Group g : groups.values()) {
            Set<String> members = membership.getOrDefault(g.key, Set.of());
            // Alerts that vanished (purged, or silenced now) leave the group; a silenced one is not resolved by it.
            g.alerts
                    .keySet()
                    .removeIf(id -> !members.contains(id) && !(current.containsKey(id) && !silencedNow.contains(id)));
        }
        groups.values().removeIf(g -> g.alerts.isEmpty());
    }

    private boolean wasNotified(String receiver, String key, String alertId) {
        try {
            LogEntry e = readLog(receiver, key);
            return e != null && e.firing.contains(alertId);
        } catch (SQLException e) {
            return true; // when unsure, tell the receiver the alert resolved
        }
    }

    private record LogEntry(Set<String> firing, Set<String> resolved, Instant sentAt) {}

    private LogEntry readLog(String receiver, String key) throws SQLException {
        return db.read(c -> readLog(c, receiver, key));
    }

    private static LogEntry readLog(Connection c, String receiver, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT firing, resolved, sent_at FROM notify_log WHERE receiver = ? AND group_key = ?")) {
            p.setString(1, receiver);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new LogEntry(set(rs.getString(1)), set(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("damaged notification log: " + e.getMessage(), e);
            }
        }
    }

    private static Set<String> set(String json) throws com.fasterxml.jackson.core.JsonProcessingException {
        return new HashSet<>(List.of(Json.MAPPER.readValue(json, String[].class)));
    }

    /** Decides whether the group needs a notification and, if so, stores it; true if a row was written. */
    private boolean flush(Group g, Instant now) throws SQLException {
        List<Alert> firing = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        for (Alert a : g.alerts.values()) {
            (a.state() == AlertState.FIRING ? firing : resolved).add(a);
        }
        Set<String> firingIds = ids(firing);
        Set<String> resolvedIds = ids(resolved);
        return db.inTransaction(c -> {
            LogEntry prev = readLog(c, g.receiver.name(), g.key);
            Set<String> prevFiring = prev == null ? Set.of() : prev.firing;
            Set<String> prevResolved = prev == null ? Set.of() : prev.resolved;
            // Only alerts a receiver heard firing need their resolve; others never reached it.
            resolved.removeIf(a -> !prevFiring.contains(a.id()));
            Set<String> tellResolved = ids(resolved);
            boolean newFiring = !prevFiring.containsAll(firingIds);
            boolean newResolved = g.route.sendResolved() && !prevResolved.containsAll(tellResolved);
            boolean allResolved = firing.isEmpty() && !prevFiring.isEmpty() && !resolved.isEmpty();
            boolean unacked = firing.stream().anyMatch(a -> a.ackedAt() == null);
            boolean repeat = prev != null
                    && unacked
                    && Duration.between(prev.sentAt, now).compareTo(g.route.repeatInterval()) >= 0;
            if (!(newFiring || newResolved || repeat || (allResolved && g.route.sendResolved()))) {
                if (firing.isEmpty() && prev != null && resolvedIds.containsAll(prevFiring)) {
                    deleteLog(c, g.receiver.name(), g.key);
                } else if (prev != null && !firingIds.equals(prevFiring)) {
                    // Some alerts stopped firing without a notice (send_resolved off): forget them, so
                    // that if they fire again they count as new.
                    writeLog(c, g.receiver.name(), g.key, firingIds, prevResolved, prev.sentAt);
                }
                return false;
            }
            List<Alert> send = new ArrayList<>(firing);
            if (g.route.sendResolved()) {
                send.addAll(resolved);
            }
            if (send.isEmpty()) {
                return false;
            }
            OutboxMessage m = message(g, send, now);
            NotificationOutbox.enqueue(c, m, now);
            String why = newFiring
                    ? "new firing alerts"
                    : repeat ? "repeat_interval " + g.route.repeatInterval() : "resolved";
            for (Alert a : send) {
                AlertHistory.appendById(
                        c,
                        now,
                        a.id(),
                        "notified",
                        g.receiver.name() + ": " + a.state().lower() + " (" + why + ", " + m.dedupKey() + ")");
            }
            if (firing.isEmpty()) {
                deleteLog(c, g.receiver.name(), g.key);
            } else {
                writeLog(c, g.receiver.name(), g.key, firingIds, tellResolved, now);
            }
            return true;
        });
    }

    private OutboxMessage message(Group g, List<Alert> alerts, Instant now) {
        ReceiverConfig r = g.receiver;
        String dedupKey = r.name() + "|" + g.key + "|" + now.toEpochMilli();
        byte[] body =
                switch (r.type()) {
                    case WEBHOOK -> Payloads.webhook(r.name(), g.key, g.groupLabels, alerts, links);
                    case SLACK -> Payloads.slack(g.key, g.groupLabels, alerts, links);
                    case PAGERDUTY ->
                        Payloads.pagerDuty(r.routingKey(), Payloads.hash(r.name() + "|" + g.key), alerts, links, now);
                    case ALERTMANAGER -> throw new IllegalStateException("Alertmanagers are not routed");
                };
        Map<String, String> headers = new TreeMap<>(r.headers());
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", Payloads.hash(dedupKey));
        headers.put("User-Agent", "vigil-collector");
        List<String> ids = new ArrayList<>(ids(alerts));
        return new OutboxMessage(dedupKey, r.name(), r.urls().get(0), headers, body, ids);
    }

    private void pushToAlertmanagers(Instant now) throws SQLException {
        List<ReceiverConfig> ams = settings.receivers().stream()
                .filter(r -> r.type() == ReceiverConfig.Type.ALERTMANAGER)
                .toList();
        if (ams.isEmpty()) {
            return;
        }
        List<Alert> due = new ArrayList<>();
        for (Alert a : current.values()) {
            Instant last = amSentAt.get(a.id());
            boolean changed = amSentState.get(a.id()) != a.state();
            if (changed || last == null || Duration.between(last, now).compareTo(settings.resendDelay()) >= 0) {
                due.add(a);
            }
        }
        amSentAt.keySet().retainAll(current.keySet());
        amSentState.keySet().retainAll(current.keySet());
        if (due.isEmpty()) {
            return;
        }
        byte[] body = Payloads.alertmanager(due, links, now, endsAtHorizon(due));
        db.inTransaction(c -> {
            for (ReceiverConfig r : ams) {
                for (String url : r.urls()) {
                    String target = url.endsWith("/") ? url + "api/v2/alerts" : url + "/api/v2/alerts";
                    String dedupKey = r.name() + "|" + url + "|" + now.toEpochMilli();
                    Map<String, String> headers = new TreeMap<>(r.headers());
                    headers.put("Content-Type", "application/json");
                    headers.put("User-Agent", "vigil-collector");
                    NotificationOutbox.enqueue(
                            c,
                            new OutboxMessage(dedupKey, r.name(), target, headers, body, new ArrayList<>(ids(due))),
                            now);
                }
            }
            for (Alert a : due) {
                if (amSentState.get(a.id()) != a.state()) {
                    AlertHistory.appendById(
                            c,
                            now,
                            a.id(),
                            "notified",
                            "alertmanager: " + a.state().lower());
                }
            }
            return null;
        });
        for (Alert a : due) {
            amSentAt.put(a.id(), now);
            amSentState.put(a.id(), a.state());
        }
        wakeSender.run();
    }

    /** Prometheus: now + 4 × max(evaluation interval, resend delay). */
    private Duration endsAtHorizon(List<Alert> alerts) {
        Duration interval = Duration.ofSeconds(30);
        RuleSet set = rules.get();
        for (Alert a : alerts) {
            AlertRule r = set.rule(a.rule());
            if (r != null && r.interval().compareTo(interval) > 0) {
                interval = r.interval();
            }
        }
        Duration base = interval.compareTo(settings.resendDelay()) > 0 ? interval : settings.resendDelay();
        return base.multipliedBy(4);
    }

    private void history(String alertId, String event, String detail, Instant now) {
        try {
            db.inTransaction(c -> {
                AlertHistory.appendById(c, now, alertId, event, detail);
                return null;
            });
        } catch (SQLException e) {
            LOG.warn("cannot append to the alert history: " + e);
        }
    }

    private static void writeLog(
            Connection c, String receiver, String key, Set<String> firing, Set<String> resolved, Instant now)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO notify_log VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, receiver);
            p.setString(2, key);
            p.setString(3, Json.write(new ArrayList<>(firing)));
            p.setString(4, Json.write(new ArrayList<>(resolved)));
            p.setLong(5, now.toEpochMilli());
            p.executeUpdate();
        }
    }

    private static void deleteLog(Connection c, String receiver, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM notify_log WHERE receiver = ? AND group_key = ?")) {
            p.setString(1, receiver);
            p.setString(2, key);
            p.executeUpdate();
        }
    }

    private static Set<String> ids(List<Alert> alerts) {
        Set<String> out = new java.util.TreeSet<>();
        for (Alert a : alerts) {
            out.add(a.id());
        }
        return out;
    }

    /** Group keys now open, for the API and tests. */
    synchronized List<String> groupKeys() {
        return new ArrayList<>(groups.keySet());
    }
}
