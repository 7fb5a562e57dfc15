package dev.vigil.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    private static final Migration CREATE_T = new Migration(1, "table t", "CREATE TABLE t (v INTEGER NOT NULL)");
    private static final Migration ADD_U = new Migration(101, "table u", "CREATE TABLE u (v TEXT)");

    @Test
    void appliesMigrationsOnceAndRecordsTheirVersions() {
        Path file = dir.resolve("sub/state.db");
        try (Database db = Database.open(file, List.of(CREATE_T))) {
            assertThat(db.schemaVersion()).isEqualTo(1);
        }
        try (Database db = Database.open(file, List.of(ADD_U, CREATE_T))) {
            assertThat(db.schemaVersion()).isEqualTo(101);
            List<Integer> versions = db.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                    List<Integer> out = new java.util.ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                    return out;
                }
            });
            assertThat(versions).containsExactly(1, 101);
            assertThat(db.integrityCheck()).isEqualTo("ok");
        }
    }

    @Test
    void usesWriteAheadLogging() {
        try (Database db = Database.open(dir.resolve("wal.db"), List.of(CREATE_T))) {
            String mode = db.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(mode).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void refusesADatabaseWrittenByANewerCollector() {
        Path file = dir.resolve("newer.db");
        Database.open(file, List.of(CREATE_T, new Migration(2, "later", "CREATE TABLE later (v INTEGER)")))
                .close();
        assertThatThrownBy(() -> Database.open(file, List.of(CREATE_T)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("newer");
    }

    @Test
    void failedMigrationLeavesNoTraceAndNamesTheStep() {
        Path file = dir.resolve("bad.db");
        Migration broken = new Migration(2, "broken step", "CREATE TABLE x (v INTEGER)", "THIS IS NOT SQL");
        assertThatThrownBy(() -> Database.open(file, List.of(CREATE_T, broken)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("migration 2 (broken step)");
        try (Database db = Database.open(file, List.of(CREATE_T))) {
            assertThat(db.schemaVersion()).isEqualTo(1);
            boolean xExists = db.read(c -> {
                try (ResultSet rs = c.getMetaData().getTables(null, null, "x", null)) {
                    return rs.next();
                }
            });
            assertThat(xExists).isFalse();
        }
    }

    @Test
    void rejectsDuplicateVersions() {
        assertThatThrownBy(() ->
                        Database.open(dir.resolve("dup.db"), List.of(CREATE_T, new Migration(1, "again", "SELECT 1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void failedWriteIsRolledBackWhole() {
        try (Database db = Database.open(dir.resolve("rollback.db"), List.of(CREATE_T))) {
            assertThatThrownBy(() -> db.write(c -> {
                        insert(c, 1);
                        insert(c, 2);
                        throw new SQLException("simulated failure");
                    }))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("simulated failure");
            db.write(c -> insert(c, 3));
            assertThat(count(db)).isEqualTo(1);
        }
    }

    @Test
    void nestedWriteJoinsTheOuterTransaction() {
        try (Database db = Database.open(dir.resolve("nested.db"), List.of(CREATE_T))) {
            assertThatThrownBy(() -> db.write(c -> {
                        insert(c, 1);
                        db.write(inner -> insert(inner, 2));
                        throw new SQLException("outer fails");
                    }))
                    .isInstanceOf(StoreException.class);
            assertThat(count(db)).isZero();
        }
    }

    @Test
    void aFileThatIsNotADatabaseGetsAClearError() throws Exception {
        Path file = dir.resolve("garbage.db");
        Files.write(
                file,
                "this is not a sqlite file, just some text long enough to look like a header"
                        .repeat(20)
                        .getBytes());
        assertThatThrownBy(() -> Database.open(file, List.of(CREATE_T)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void closedDatabaseRefusesWork() {
        Database db = Database.open(dir.resolve("closed.db"), List.of(CREATE_T));
        db.close();
        assertThat(db.isOpen()).isFalse();
        assertThatThrownBy(() -> db.write(c -> insert(c, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    private static int insert(java.sql.Connection c, int v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            p.setInt(1, v);
            return p.executeUpdate();
        }
    }

    private static int count(Database db) {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
