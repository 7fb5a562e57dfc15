package dev.vigil.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirBackupTest {
    private static final List<Migration> SCHEMA =
            List.of(new Migration(1, "groups", "CREATE TABLE g (id TEXT PRIMARY KEY, n INTEGER NOT NULL)"));

    @TempDir
    Path dir;

    @Test
    void backupOfALiveDatabaseHoldsEveryCommitAndRestoresIntoAFreshDataDir() throws Exception {
        Path live = dir.resolve("live");
        Files.createDirectories(live);
        try (Database db = Database.open(live.resolve(DataDirBackup.DATABASE), SCHEMA)) {
            for (int i = 0; i < 100; i++) {
                int n = i;
                db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO g VALUES (?, ?)")) {
                        ps.setString(1, "g" + n);
                        ps.setInt(2, n);
                        return ps.executeUpdate();
                    }
                });
            }
            // taken while the database is open and its last commits may sit in the WAL
            DataDirBackup.backup(live, dir.resolve("backup.db"));
        }

        Path fresh = dir.resolve("fresh");
        assertThat(DataDirBackup.restore(dir.resolve("backup.db"), fresh)).isNull();
        try (Database restored = Database.open(fresh.resolve(DataDirBackup.DATABASE), SCHEMA)) {
            long sum = restored.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), sum(n) FROM g")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(100);
                    return rs.getLong(2);
                }
            });
            assertThat(sum).isEqualTo(4950);
            assertThat(restored.integrityCheck()).isEqualTo("ok");
        }
    }

    @Test
    void restoreKeepsTheReplacedFilesAside() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        try (Database db = Database.open(data.resolve(DataDirBackup.DATABASE), SCHEMA)) {
            assertThat(db.schemaVersion()).isEqualTo(1);
            DataDirBackup.backup(data, dir.resolve("b.db"));
        }
        Path replaced = DataDirBackup.restore(dir.resolve("b.db"), data);
        assertThat(replaced).isNotNull();
        assertThat(replaced.resolve(DataDirBackup.DATABASE)).isRegularFile();
        assertThat(data.resolve(DataDirBackup.DATABASE)).isRegularFile();
    }

    @Test
    void restoreRefusesWhileACollectorHoldsTheDataDirectory() throws Exception {
        Path data = dir.resolve("busy");
        Files.createDirectories(data);
        try (Database db = Database.open(data.resolve(DataDirBackup.DATABASE), SCHEMA)) {
            assertThat(db.schemaVersion()).isEqualTo(1);
            DataDirBackup.backup(data, dir.resolve("b.db"));
        }
        // a collector in another process holds this lock; a second channel in this JVM behaves alike
        try (FileChannel ch = FileChannel.open(
                        data.resolve(DataDirBackup.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> DataDirBackup.restore(dir.resolve("b.db"), data))
                    .isInstanceOf(DataDirBackup.BackupException.class)
                    .hasMessageContaining("a collector is running");
        }
        assertThat(data.resolve(DataDirBackup.DATABASE)).isRegularFile();
    }

    @Test
    void refusesBackupsThatAreNotIntactCollectorDatabases() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a database, just text that is long enough to matter");
        Path data = dir.resolve("target");
        assertThatThrownBy(() -> DataDirBackup.restore(junk, data))
                .isInstanceOf(DataDirBackup.BackupException.class)
                .hasMessageContaining("is not an intact collector database");
        assertThat(data).doesNotExist();

        assertThatThrownBy(() -> DataDirBackup.restore(dir.resolve("missing.db"), data))
                .hasMessageContaining("no backup file");
    }

    @Test
    void backupRefusesToOverwriteOrToReadAMissingDatabase() throws Exception {
        assertThatThrownBy(() -> DataDirBackup.backup(dir.resolve("nothing"), dir.resolve("x.db")))
                .hasMessageContaining("no database at");
        Path data = dir.resolve("d");
        Files.createDirectories(data);
        try (Database db = Database.open(data.resolve(DataDirBackup.DATABASE), SCHEMA)) {
            assertThat(db.schemaVersion()).isEqualTo(1);
            Files.writeString(dir.resolve("exists.db"), "keep me");
            assertThatThrownBy(() -> DataDirBackup.backup(data, dir.resolve("exists.db")))
                    .hasMessageContaining("already exists");
            assertThat(Files.readString(dir.resolve("exists.db"))).isEqualTo("keep me");
        }
    }
}
