package dev.vigil.collector.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Alert state and history rows: what lets a restart keep firing alerts and still send resolves. */
public final class AlertStore {
    private final AlertsDatabase db;

    public AlertStore(AlertsDatabase db) {
        this.db = db;
    }

    public AlertsDatabase database() {
        return db;
    }

    List<Alert> loadAll() throws SQLException {
        return db.read(c -> {
            List<Alert> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM alert_state ORDER BY active_at");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Alert(
                            rs.getString("id"),
                            rs.getString("rule"),
                            Labels.of(Json.stringMap(rs.getString("labels"))),
                            AlertState.valueOf(rs.getString("state")),
                            instant(rs, "active_at"),
                            instant(rs, "fired_at"),
                            instant(rs, "resolved_at"),
                            instant(rs, "keep_firing_since"),
                            instant(rs, "last_eval_at"),
                            rs.getDouble("value"),
                            rs.getDouble("threshold"),
                            Json.stringMap(rs.getString("annotations")),
                            Json.stringMap(rs.getString("context")),
                            instant(rs, "acked_at"),
                            rs.getString("acked_by")));
                }
            }
            return out;
        });
    }

    /** Saves changed alerts, deletes removed ones and appends the events to the history, atomically. */
    void save(Collection<Alert> changed, Collection<String> removed, Collection<AlertEvent> events, Instant now)
            throws SQLException {
        if (changed.isEmpty() && removed.isEmpty() && events.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT OR REPLACE INTO alert_state VALUES" + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Alert a : changed) {
                    p.setString(1, a.id());
                    p.setString(2, a.rule());
                    p.setString(3, Json.write(a.labels().asMap()));
                    p.setString(4, a.state().name());
                    setInstant(p, 5, a.activeAt());
                    setInstant(p, 6, a.firedAt());
                    setInstant(p, 7, a.resolvedAt());
                    setInstant(p, 8, a.keepFiringSince());
                    setInstant(p, 9, a.lastEvalAt());
                    p.setDouble(10, finite(a.value()));
                    p.setDouble(11, finite(a.threshold()));
                    p.setString(12, Json.write(a.annotations()));
                    p.setString(13, Json.write(a.context()));
                    setInstant(p, 14, a.ackedAt());
                    p.setString(15, a.ackedBy());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM alert_state WHERE id = ?")) {
                for (String id : removed) {
                    p.setString(1, id);
                    p.addBatch();
                }
                p.executeBatch();
            }
            for (AlertEvent e : events) {
                appendHistory(c, now, e.alert(), e.kind(), null);
            }
            return null;
        });
    }

    static void appendHistory(Connection c, Instant at, Alert alert, String event, String detail) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO alert_history (at, alert_id, alertname, event, labels, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, at.toEpochMilli());
            p.setString(2, alert.id());
            p.setString(3, alert.rule());
            p.setString(4, event);
            p.setString(5, Json.write(alert.labels().asMap()));
            p.setString(6, detail);
            p.executeUpdate();
        }
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setInstant(PreparedStatement p, int index, Instant value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setLong(index, value.toEpochMilli());
        }
    }
}
