package dev.vigil.collector.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite (WAL) file that holds alert state, the notification outbox, silences, the
 * notification log and the alert history. One connection, used under a lock: the write rate is a
 * few rows per evaluation, and a single writer is what SQLite wants anyway. {@code synchronous=FULL}
 * so that a row the outbox reported as written survives a power cut, not only a {@code kill -9}.
 * Schema versions 100–199 belong to the alerting packages.
 */
public final class AlertsDatabase implements AutoCloseable {

    /** One schema step; applied once, in order, inside a transaction. */
    public record Migration(int version, String description, List<String> statements) {}

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            100,
            "alert state, history, outbox, silences, notification log",
            List.of(
                    """
                    CREATE TABLE alert_state (
                      id TEXT PRIMARY KEY, rule TEXT NOT NULL, labels TEXT NOT NULL, state TEXT NOT NULL,
                      active_at INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER, keep_firing_since INTEGER,
                      last_eval_at INTEGER, value REAL, threshold REAL, annotations TEXT NOT NULL,
                      context TEXT NOT NULL, acked_at INTEGER, acked_by TEXT)""",
                    """
                    CREATE TABLE alert_history (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, alert_id TEXT NOT NULL,
                      alertname TEXT NOT NULL, event TEXT NOT NULL, labels TEXT NOT NULL, detail TEXT)""",
                    "CREATE INDEX alert_history_alert ON alert_history (alert_id, seq)",
                    "CREATE INDEX alert_history_at ON alert_history (at)",
                    """
                    CREATE TABLE outbox (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT, dedup_key TEXT NOT NULL UNIQUE, receiver TEXT NOT NULL,
                      url TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL, alert_ids TEXT NOT NULL,
                      created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL,
                      status TEXT NOT NULL, last_error TEXT, last_status INTEGER, done_at INTEGER)""",
                    "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
                    """
                    CREATE TABLE silences (
                      id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,
                      created_by TEXT NOT NULL, comment TEXT NOT NULL, created_at INTEGER NOT NULL)""",
                    """
                    CREATE TABLE notify_log (
                      receiver TEXT NOT NULL, group_key TEXT NOT NULL, firing TEXT NOT NULL, resolved TEXT NOT NULL,
                      sent_at INTEGER NOT NULL, PRIMARY KEY (receiver, group_key))""")));

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private AlertsDatabase(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the database file and applies pending migrations. */
    public static AlertsDatabase open(Path file) throws SQLException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
        }
        AlertsDatabase db = new AlertsDatabase(c);
        db.migrate();
        return db;
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS vigil_alerts_schema (version INTEGER PRIMARY KEY, description TEXT,"
                    + " applied_at INTEGER)");
        }
        for (Migration m : MIGRATIONS) {
            boolean applied;
            try (PreparedStatement p =
                    connection.prepareStatement("SELECT 1 FROM vigil_alerts_schema WHERE version = ?")) {
                p.setInt(1, m.version());
                try (ResultSet rs = p.executeQuery()) {
                    applied = rs.next();
                }
            }
            if (applied) {
                continue;
            }
            inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO vigil_alerts_schema VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                }
                return null;
            });
        }
    }

    /** Work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} under the lock, in one transaction. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs read-only {@code work} under the lock. */
    public <T> T read(Work<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run(connection);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            connection.close();
        } finally {
            lock.unlock();
        }
    }
}
