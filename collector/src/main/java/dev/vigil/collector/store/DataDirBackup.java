package dev.vigil.collector.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;

/**
 * Backup and restore of the collector's data directory (docs/operations.md). The database is the
 * collector's whole durable state; metric windows live in memory and are rebuilt from new pushes.
 *
 * <p>A backup is SQLite's {@code VACUUM INTO}: a consistent snapshot of the last commit, taken
 * through a separate connection while the collector keeps writing (WAL readers never block the
 * writer). Copying {@code vigil.db} with {@code cp} is not a backup: committed pages may still be
 * in {@code vigil.db-wal}.
 */
public final class DataDirBackup {
    /** The database file in the data directory. */
    public static final String DATABASE = "vigil.db";

    /** The file a running collector holds an exclusive lock on. */
    public static final String LOCK = "collector.lock";

    private DataDirBackup() {}

    /** Writes a consistent snapshot of {@code dataDir}'s database to {@code target}, which must not exist. */
    public static void backup(Path dataDir, Path target) throws BackupException {
        Path db = dataDir.resolve(DATABASE);
        if (!Files.isRegularFile(db)) {
            throw new BackupException("no database at " + db + ": is data_dir right?");
        }
        if (Files.exists(target)) {
            throw new BackupException(target + " already exists; choose a new file name");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new BackupException("directory " + parent + " does not exist");
        }
        Properties settings = new Properties();
        settings.setProperty("busy_timeout", "10000"); // wait out the collector's checkpoints
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), settings);
                PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toAbsolutePath().toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new BackupException("backup of " + db + " failed: " + e.getMessage(), e);
        }
        String check = check(target);
        if (check != null) {
            throw new BackupException("the backup written to " + target + " does not verify: " + check);
        }
    }

    /**
     * Replaces {@code dataDir}'s database with {@code backup}. Refuses while a collector holds the
     * data directory, and before touching anything checks that {@code backup} is an intact collector
     * database. The replaced files are moved to {@code dataDir/replaced-<time>/}, never deleted.
     *
     * @return where the replaced files went, or null when there were none
     */
    public static Path restore(Path backup, Path dataDir) throws BackupException {
        if (!Files.isRegularFile(backup)) {
            throw new BackupException("no backup file at " + backup);
        }
        String check = check(backup);
        if (check != null) {
            throw new BackupException(backup + " is not an intact collector database: " + check);
        }
        try {
            Files.createDirectories(dataDir);
            try (FileChannel channel =
                    FileChannel.open(dataDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = tryLock(channel, dataDir); // released when the channel closes
                assert lock.isValid();
                Path replaced = null;
                for (String name : new String[] {DATABASE, DATABASE + "-wal", DATABASE + "-shm"}) {
                    Path file = dataDir.resolve(name);
                    if (Files.exists(file)) {
                        if (replaced == null) {
                            replaced = dataDir.resolve(
                                    "replaced-" + Instant.now().toString().replace(':', '-'));
                            Files.createDirectories(replaced);
                        }
                        Files.move(file, replaced.resolve(name));
                    }
                }
                Path incoming = dataDir.resolve(DATABASE + ".restoring");
                Files.copy(backup, incoming, StandardCopyOption.REPLACE_EXISTING);
                Files.move(incoming, dataDir.resolve(DATABASE), StandardCopyOption.ATOMIC_MOVE);
                return replaced;
            }
        } catch (IOException e) {
            throw new BackupException("restore into " + dataDir + " failed: " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path dataDir) throws IOException, BackupException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new BackupException("a collector is running on " + dataDir + "; stop it before restoring");
        }
        return lock;
    }

    /** Null when {@code file} passes SQLite's integrity check and holds a collector schema, else why not. */
    private static String check(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String first = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(first)) {
                    return first;
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return "it has no schema_version table";
                }
            }
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** A backup or restore that could not be done; the message says why and what to do. */
    public static final class BackupException extends Exception {
        private static final long serialVersionUID = 1L;

        BackupException(String message) {
            super(message);
        }

        BackupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
