package dev.vigil.collector.notify;

import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durable outbox: every notification is a row here before any attempt to send it, so a crash
 * at any point leaves it either not yet decided (it will be decided again from persisted alert
 * state) or stored (it will be sent). Rows are unique by dedup key.
 */
public final class NotificationOutbox {
    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    private final AlertsDatabase db;

    public NotificationOutbox(AlertsDatabase db) {
        this.db = db;
    }

    AlertsDatabase database() {
        return db;
    }

    /** A stored row. */
    public record Row(
            long seq,
            String dedupKey,
            String receiver,
            String url,
            Map<String, String> headers,
            byte[] body,
            List<String> alertIds,
            Instant createdAt,
            Instant nextAttemptAt,
            int attempts,
            String status,
            String lastError,
            Integer lastStatus,
            Instant doneAt) {}

    /** Stores {@code m} inside the caller's transaction; false if a row with its dedup key exists. */
    static boolean enqueue(Connection c, OutboxMessage m, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT OR IGNORE INTO outbox (dedup_key, receiver, url, headers,"
                        + " body, alert_ids, created_at, next_attempt_at, attempts, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
            p.setString(1, m.dedupKey());
            p.setString(2, m.receiver());
            p.setString(3, m.url());
            p.setString(4, Json.write(m.headers()));
            p.setBytes(5, m.body());
            p.setString(6, Json.write(m.alertIds()));
            p.setLong(7, now.toEpochMilli());
            p.setLong(8, now.toEpochMilli());
            p.setString(9, PENDING);
            return p.executeUpdate() == 1;
        }
    }

    /** Stores one message in its own transaction. */
    public boolean enqueue(OutboxMessage m, Instant now) throws SQLException {
        return db.inTransaction(c -> enqueue(c, m, now));
    }

    /** Pending rows whose next attempt is due, oldest first. */
    List<Row> due(Instant now, int limit) throws SQLException {
        return query(
                "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                now.toEpochMilli(),
                limit);
    }

    /** Rows with the given status (null: all), newest first. */
    public List<Row> list(String status, int limit) throws SQLException {
        if (status == null) {
            return query("SELECT * FROM outbox ORDER BY seq DESC LIMIT ?", limit);
        }
        return query("SELECT * FROM outbox WHERE status = ? ORDER BY seq DESC LIMIT ?", status, limit);
    }

    public Row byDedupKey(String key) throws SQLException {
        List<Row> rows = query("SELECT * FROM outbox WHERE dedup_key = ?", key);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public long count(String status) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE status = ?")) {
                p.setString(1, status);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The earliest next attempt of a pending row, or null. */
    Instant nextDue() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement p =
                            c.prepareStatement("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
                    ResultSet rs = p.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : Instant.ofEpochMilli(v);
            }
        });
    }

    void markSent(long seq, int attempts, int status, Instant now) throws SQLException {
        update(
                "UPDATE outbox SET status = 'sent', attempts = ?, last_status = ?, last_error = NULL, done_at = ?"
                        + " WHERE seq = ?",
                attempts,
                status,
                now.toEpochMilli(),
                seq);
    }

    void markRetry(long seq, int attempts, Integer status, String error, Instant next) throws SQLException {
        update(
                "UPDATE outbox SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE seq = ?",
                attempts,
                status,
                error,
                next.toEpochMilli(),
                seq);
    }

    /** Pushes a row's next attempt back without counting an attempt (its receiver's breaker is open). */
    void postpone(long seq, Instant next) throws SQLException {
        update(
                "UPDATE outbox SET next_attempt_at = ? WHERE seq = ? AND next_attempt_at < ?",
                next.toEpochMilli(),
                seq,
                next.toEpochMilli());
    }

    void markFailed(long seq, int attempts, Integer status, String error, Instant now) throws SQLException {
        update(
                "UPDATE outbox SET status = 'failed', attempts = ?, last_status = ?, last_error = ?, done_at = ?"
                        + " WHERE seq = ?",
                attempts,
                status,
                error,
                now.toEpochMilli(),
                seq);
    }

    /** Deletes finished rows older than {@code before}; pending rows are never deleted. */
    int purge(Instant before) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement p =
                    c.prepareStatement("DELETE FROM outbox WHERE status != 'pending' AND done_at < ?")) {
                p.setLong(1, before.toEpochMilli());
                return p.executeUpdate();
            }
        });
    }

    private void update(String sql, Object... args) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                bind(p, args);
                return p.executeUpdate();
            }
        });
    }

    private List<Row> query(String sql, Object... args) throws SQLException {
        return db.read(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql)) {
                bind(p, args);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        int lastStatus = rs.getInt("last_status");
                        Integer ls = rs.wasNull() ? null : lastStatus;
                        long done = rs.getLong("done_at");
                        Instant doneAt = rs.wasNull() ? null : Instant.ofEpochMilli(done);
                        out.add(new Row(
                                rs.getLong("seq"),
                                rs.getString("dedup_key"),
                                rs.getString("receiver"),
                                rs.getString("url"),
                                Json.stringMap(rs.getString("headers")),
                                rs.getBytes("body"),
                                List.of(Json.MAPPER.readValue(rs.getString("alert_ids"), String[].class)),
                                Instant.ofEpochMilli(rs.getLong("created_at")),
                                Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
                                rs.getInt("attempts"),
                                rs.getString("status"),
                                rs.getString("last_error"),
                                ls,
                                doneAt));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new SQLException("damaged outbox row: " + e.getMessage(), e);
                }
            }
            return out;
        });
    }

    private static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                p.setNull(i + 1, java.sql.Types.NULL);
            } else if (a instanceof Long l) {
                p.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, a.toString());
            }
        }
    }
}
