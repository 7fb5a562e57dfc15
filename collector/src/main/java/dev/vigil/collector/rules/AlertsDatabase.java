package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import dev.vigil.collector.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The alerting tables in the collector's state {@link Database}: alert state, the notification
 * outbox, silences, the notification log and the alert history. Schema versions 100–199 belong to
 * the alerting packages. Store failures surface as {@link SQLException} so that every caller in
 * these packages handles them explicitly (retry next round, or answer 503).
 */
public final class AlertsDatabase implements AutoCloseable {

    public static final List<Migration> MIGRATIONS = List.of(new Migration(
            100,
            "alert state, history, outbox, silences, notification log",
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
              sent_at INTEGER NOT NULL, PRIMARY KEY (receiver, group_key))"""));

    private final Database db;
    private final boolean owned;

    private AlertsDatabase(Database db, boolean owned) {
        this.db = requireNonNull(db, "db");
        this.owned = owned;
    }

    /** The alerting tables of the collector's database (migrated by the collector). */
    public static AlertsDatabase of(Database db) {
        return new AlertsDatabase(db, false);
    }

    /** Opens a database file with only the alerting tables (tests, {@code rules export}). */
    public static AlertsDatabase open(Path file) throws SQLException {
        try {
            return new AlertsDatabase(Database.open(file, MIGRATIONS), true);
        } catch (StoreException e) {
            throw sql(e);
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one write transaction (joining an outer one on the same thread). */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try {
            return db.write(work::run);
        } catch (StoreException e) {
            throw sql(e);
        }
    }

    /** Runs read-only {@code work} on the last committed state. */
    public <T> T read(Work<T> work) throws SQLException {
        try {
            return db.read(work::run);
        } catch (StoreException e) {
            throw sql(e);
        }
    }

    private static SQLException sql(StoreException e) {
        return e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
