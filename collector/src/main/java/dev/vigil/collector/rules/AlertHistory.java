package dev.vigil.collector.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit log: every transition (pending, firing, resolved, inactive, acked, silenced,
 * notified, delivered, delivery_failed) appended with its time. Rows are never updated.
 */
public final class AlertHistory {
    private final AlertsDatabase db;

    public AlertHistory(AlertsDatabase db) {
        this.db = db;
    }

    /** One history row. */
    public record Entry(
            long seq,
            Instant at,
            String alertId,
            String alertname,
            String event,
            Map<String, String> labels,
            String detail) {}

    /**
     * Filters of {@link #query}; null fields do not filter.
     *
     * @param alertId one alert
     * @param alertname one rule
     * @param event one event kind
     * @param since at or after
     * @param until before
     * @param limit at most this many rows, newest first
     */
    public record Filter(String alertId, String alertname, String event, Instant since, Instant until, int limit) {}

    /** Appends an event about an alert known only by id (delivery events); name and labels come from its state. */
    public static void appendById(Connection c, Instant at, String alertId, String event, String detail)
            throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("INSERT INTO alert_history (at, alert_id, alertname, event, labels,"
                        + " detail) SELECT ?, ?, COALESCE((SELECT rule FROM alert_state WHERE id = ?), ''), ?,"
                        + " COALESCE((SELECT labels FROM alert_state WHERE id = ?), '{}'), ?")) {
            p.setLong(1, at.toEpochMilli());
            p.setString(2, alertId);
            p.setString(3, alertId);
            p.setString(4, event);
            p.setString(5, alertId);
            p.setString(6, detail);
            p.executeUpdate();
        }
    }

    /** Appends an event about {@code alert} in its own transaction. */
    public void append(Alert alert, String event, String detail, Instant at) throws SQLException {
        db.inTransaction(c -> {
            AlertStore.appendHistory(c, at, alert, event, detail);
            return null;
        });
    }

    public List<Entry> query(Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM alert_history WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.alertId() != null) {
            sql.append(" AND alert_id = ?");
            args.add(f.alertId());
        }
        if (f.alertname() != null) {
            sql.append(" AND alertname = ?");
            args.add(f.alertname());
        }
        if (f.event() != null) {
            sql.append(" AND event = ?");
            args.add(f.event());
        }
        if (f.since() != null) {
            sql.append(" AND at >= ?");
            args.add(f.since().toEpochMilli());
        }
        if (f.until() != null) {
            sql.append(" AND at < ?");
            args.add(f.until().toEpochMilli());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add((long) Math.max(1, Math.min(f.limit(), 10_000)));
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Long l) {
                        p.setLong(i + 1, l);
                    } else {
                        p.setString(i + 1, (String) a);
                    }
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(
                                rs.getLong("seq"),
                                Instant.ofEpochMilli(rs.getLong("at")),
                                rs.getString("alert_id"),
                                rs.getString("alertname"),
                                rs.getString("event"),
                                Json.stringMap(rs.getString("labels")),
                                rs.getString("detail")));
                    }
                }
            }
            return out;
        });
    }
}
