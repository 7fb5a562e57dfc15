package dev.vigil.collector.store;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's state: one SQLite file in WAL mode. Writes go through a single connection, one
 * transaction at a time ({@link #write}); SQLite allows only one writer anyway, and one writer in
 * process means no {@code SQLITE_BUSY} surprises under load. Reads use a second connection
 * ({@link #read}) that sees the last committed state and never waits for a writer.
 *
 * <p>Every feature contributes its own {@link Migration}s; {@link #open} applies those not yet
 * recorded in {@code schema_version}, in version order, each in its own transaction, and refuses
 * a file whose schema is newer than this collector.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final Timer writeTimer;
    private final int schemaVersion;
    private volatile boolean closed;

    private Database(Path file, Connection writer, Connection reader, Timer writeTimer, int schemaVersion) {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
        this.writeTimer = writeTimer;
        this.schemaVersion = schemaVersion;
    }

    /** Opens (creating if needed) with {@link Synchronous#FULL} and no metrics. */
    public static Database open(Path file, List<Migration> migrations) {
        return builder(file).migrations(migrations).open();
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /**
     * Runs {@code work} in a transaction on the writer connection and commits it; on any exception
     * the transaction is rolled back and nothing of it is kept. A {@code write} inside a
     * {@code write} on the same thread joins the outer transaction.
     *
     * @throws StoreException when SQLite fails (the cause says why)
     */
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            if (writeLock.getHoldCount() > 1) {
                return work.apply(writer);
            }
            long start = System.nanoTime();
            boolean committed = false;
            try {
                T result = work.apply(writer);
                writer.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
                writeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        } catch (SQLException e) {
            throw new StoreException("write to " + file + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} on the reader connection, in one read transaction (a consistent snapshot of
     * the last commit). Do not write here.
     */
    public <T> T read(SqlWork<T> work) {
        readLock.lock();
        try {
            checkOpen();
            try {
                return work.apply(reader);
            } finally {
                // ends the read transaction so the WAL can be checkpointed past it
                reader.commit();
            }
        } catch (SQLException e) {
            throw new StoreException("read from " + file + " failed: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    /** The highest applied migration version. */
    public int schemaVersion() {
        return schemaVersion;
    }

    public Path file() {
        return file;
    }

    /** {@code PRAGMA integrity_check}: "ok", or SQLite's list of problems. */
    public String integrityCheck() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                StringBuilder out = new StringBuilder();
                while (rs.next()) {
                    if (out.length() > 0) {
                        out.append('\n');
                    }
                    out.append(rs.getString(1));
                }
                return out.toString();
            }
        });
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Waits for a running write, then closes; later calls fail with {@link StoreException}. */
    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(reader);
            closeQuietly(writer);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("database " + file + " is closed");
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            log.warn("rollback on {} failed: {}", file, e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.warn("closing a database connection failed: {}", e.getMessage());
        }
    }

    private static Connection connect(Path file, Synchronous synchronous, boolean writer) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            // the writer waits for a checkpoint or for the reader's snapshot at most this long
            s.execute("PRAGMA busy_timeout = 10000");
            if (writer) {
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                    String mode = rs.next() ? rs.getString(1) : "?";
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new SQLException("could not switch " + file + " to WAL (journal_mode is " + mode + ")");
                    }
                }
            }
            s.execute("PRAGMA synchronous = " + synchronous.name());
            s.execute("PRAGMA foreign_keys = ON");
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        c.setAutoCommit(false);
        return c;
    }

    /** Applies the migrations not yet recorded; returns the highest applied version. */
    private static int migrate(Path file, Connection c, List<Migration> migrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }
        c.commit();
        Set<Integer> applied = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            while (rs.next()) {
                applied.add(rs.getInt(1));
            }
        }
        c.commit();
        int known = migrations.stream().mapToInt(Migration::version).max().orElse(0);
        int newest = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
        Set<Integer> knownVersions = new HashSet<>();
        migrations.forEach(m -> knownVersions.add(m.version()));
        for (int v : applied) {
            if (!knownVersions.contains(v) && v > known) {
                throw new StoreException(file + " has schema version " + v
                        + ", newer than this collector knows (" + known
                        + "); run a newer collector or restore a backup");
            }
        }
        List<Migration> pending = new ArrayList<>();
        for (Migration m : migrations) {
            if (!applied.contains(m.version())) {
                pending.add(m);
            }
        }
        pending.sort(Comparator.comparingInt(Migration::version));
        for (Migration m : pending) {
            try {
                try (Statement s = c.createStatement()) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version(version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    p.setString(3, Instant.now().toString());
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new StoreException(
                        "migration " + m.version() + " (" + m.description() + ") failed on " + file + ": "
                                + e.getMessage(),
                        e);
            }
            log.info("applied schema migration {}: {}", m.version(), m.description());
            newest = Math.max(newest, m.version());
        }
        return newest;
    }

    private static void checkUnique(List<Migration> migrations) {
        Set<Integer> seen = new HashSet<>();
        for (Migration m : migrations) {
            if (!seen.add(m.version())) {
                throw new IllegalArgumentException("two migrations have version " + m.version());
            }
        }
    }

    /** Options of {@link Database#open}. */
    public static final class Builder {
        private final Path file;
        private final List<Migration> migrations = new ArrayList<>();
        private Synchronous synchronous = Synchronous.FULL;
        private MeterRegistry registry;

        private Builder(Path file) {
            this.file = requireNonNull(file, "file");
        }

        public Builder migrations(List<Migration> list) {
            migrations.addAll(requireNonNull(list, "migrations"));
            return this;
        }

        public Builder synchronous(Synchronous s) {
            this.synchronous = requireNonNull(s, "synchronous");
            return this;
        }

        /** Where {@code vigil.collector.db.write.duration} is registered. */
        public Builder meterRegistry(MeterRegistry r) {
            this.registry = requireNonNull(r, "registry");
            return this;
        }

        /**
         * Creates the file and its directory if needed, switches to WAL and applies the pending
         * migrations.
         *
         * @throws StoreException if the file cannot be opened, is not a database, or is newer
         */
        public Database open() {
            checkUnique(migrations);
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StoreException("cannot create the directory of " + file + ": " + e, e);
            }
            Connection writer = null;
            try {
                writer = connect(file, synchronous, true);
                int version = migrate(file, writer, migrations);
                Connection reader = connect(file, synchronous, false);
                MeterRegistry r = registry != null ? registry : new SimpleMeterRegistry();
                Timer timer = Timer.builder("vigil.collector.db.write.duration")
                        .description("Time to run and commit one write transaction on the state database")
                        .serviceLevelObjectives(
                                java.time.Duration.ofMillis(1),
                                java.time.Duration.ofMillis(5),
                                java.time.Duration.ofMillis(10),
                                java.time.Duration.ofMillis(50),
                                java.time.Duration.ofMillis(100),
                                java.time.Duration.ofMillis(500),
                                java.time.Duration.ofSeconds(1),
                                java.time.Duration.ofSeconds(5))
                        .register(r);
                return new Database(file, writer, reader, timer, version);
            } catch (SQLException e) {
                if (writer != null) {
                    closeQuietly(writer);
                }
                throw new StoreException("cannot open the state database " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                if (writer != null) {
                    closeQuietly(writer);
                }
                throw e;
            }
        }
    }
}
