package dev.vigil.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLogFileTest {
    @TempDir
    Path dir;

    @Test
    void rotatesAtTheSizeCapAndKeepsAtMostMaxFilesOldOnes() throws Exception {
        Path path = dir.resolve("logs/app.json");
        byte[] line = ("{\"message\":\"" + "x".repeat(88) + "\"}\n").getBytes(StandardCharsets.UTF_8); // 103 bytes
        try (JsonLogFile file = new JsonLogFile(path, 1000, 2, 1000)) {
            for (int i = 0; i < 50; i++) {
                file.append(line);
            }
        }
        assertThat(Files.size(path)).isLessThanOrEqualTo(1000);
        assertThat(Files.size(dir.resolve("logs/app.json.1"))).isBetween(900L, 1000L);
        assertThat(Files.exists(dir.resolve("logs/app.json.2"))).isTrue();
        assertThat(Files.exists(dir.resolve("logs/app.json.3"))).isFalse();
        List<String> lines = Files.readAllLines(path);
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    }

    @Test
    void anUnwritablePathDropsAndCountsInsteadOfFailing() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        JsonLogFile file = new JsonLogFile(blocker.resolve("app.json"), 1000, 1, 10);
        file.append("{}\n".getBytes(StandardCharsets.UTF_8));
        file.close();
        assertThat(file.dropped()).isEqualTo(1);
    }
}
