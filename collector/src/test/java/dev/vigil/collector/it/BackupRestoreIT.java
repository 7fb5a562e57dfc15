package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md, "Backup and restore": a backup taken while the collector ingests, restored
 * into a fresh collector on another data directory, gives the same error groups and instances.
 */
class BackupRestoreIT {
    @TempDir
    Path dir;

    @Test
    void aBackupOfARunningCollectorRestoresTheSameStateIntoAFreshOne() throws Exception {
        Path backup = dir.resolve("vigil-backup.db");
        Map<String, String> groupsBefore;
        Map<String, String> instancesBefore;
        try (CollectorProcess original = new CollectorProcess(dir.resolve("a"), "backup-a", "", false).start()) {
            Api api = new Api(original);
            for (int i = 0; i < 3; i++) {
                assertThat(api.otlp(
                                        "/v1/traces",
                                        "application/x-protobuf",
                                        null,
                                        Requests.errors("backup-svc", 1, 5, 3).toByteArray())
                                .statusCode())
                        .isEqualTo(200);
            }
            api.await("/api/errors?service=backup-svc", j -> j.get("groups").size() == 5);
            groupsBefore = groups(api);
            instancesBefore = instances(api);
            awaitInstancesFlushed(original.dir.resolve("data/vigil.db"), instancesBefore.size());
            assertThat(groupsBefore).hasSize(5).allSatisfy((type, summary) -> assertThat(summary)
                    .startsWith("count=9 "));

            CollectorProcess.Result taken = CollectorProcess.run(
                    List.of("backup", "--config", original.config().toString(), "--to", backup.toString()));
            assertThat(taken.exitCode()).as(taken.output()).isZero();
            assertThat(backup).isRegularFile();
        }

        CollectorProcess fresh = new CollectorProcess(dir.resolve("b"), "backup-b", "", false);
        CollectorProcess.Result restored = CollectorProcess.run(
                List.of("restore", "--config", fresh.config().toString(), "--from", backup.toString()));
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        try (CollectorProcess running = fresh.start()) {
            Api api = new Api(running);
            assertThat(groups(api)).isEqualTo(groupsBefore);
            assertThat(instances(api)).isEqualTo(instancesBefore);

            // Restoring under a running collector is refused, and its database is left alone.
            CollectorProcess.Result refused = CollectorProcess.run(
                    List.of("restore", "--config", fresh.config().toString(), "--from", backup.toString()));
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.output()).contains("a collector is running");
            assertThat(groups(api)).isEqualTo(groupsBefore);
        }
    }

    @Test
    void backupWithoutADatabaseOrOverAnExistingFileFailsClearly() throws Exception {
        CollectorProcess never = new CollectorProcess(dir.resolve("empty"), "backup-empty", "", false);
        CollectorProcess.Result r = CollectorProcess.run(List.of(
                "backup",
                "--config",
                never.config().toString(),
                "--to",
                dir.resolve("x.db").toString()));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("no database at");

        Files.writeString(dir.resolve("taken.db"), "keep");
        CollectorProcess.Result missingTarget = CollectorProcess.run(
                List.of("backup", "--config", never.config().toString()));
        assertThat(missingTarget.exitCode()).isEqualTo(2);
        assertThat(missingTarget.output()).contains("backup needs --to FILE");
    }

    /** Heartbeats reach the database every few seconds (Instances#flush); a backup holds what is there. */
    private static void awaitInstancesFlushed(Path db, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM instances")) {
                if (rs.next() && rs.getInt(1) >= expected) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("instances not written to " + db + " within 30 s");
            }
            Thread.sleep(200);
        }
    }

    private static Map<String, String> groups(Api api) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode g : api.json("/api/errors?service=backup-svc&limit=100").get("groups")) {
            out.put(
                    g.get("type").asText(),
                    "count=" + g.get("count").asLong() + " id=" + g.get("id").asText() + " first_seen="
                            + g.path("first_seen").asText(g.path("firstSeen").asText()));
        }
        return out;
    }

    private static Map<String, String> instances(Api api) throws Exception {
        Map<String, String> out = new TreeMap<>();
        JsonNode body = api.json("/api/instances");
        JsonNode list = body.has("instances") ? body.get("instances") : body;
        for (JsonNode i : list) {
            out.put(
                    i.toString()
                            .replaceAll("\"(last_seen|lastSeen|seconds_since_last_seen|state|reporting)\":[^,}]*", ""),
                    "");
        }
        return out;
    }
}
