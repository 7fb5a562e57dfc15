package dev.vigil.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every agent key with its type and default, exactly as the code has them. */
class ConfigurationDocsTest {
    private static final Path DOC = Paths.get("..", "docs", "configuration.md");

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        for (ConfigKey<?> key : AgentSettings.all()) {
            assertThat(doc)
                    .as(
                            "docs/configuration.md must contain this row (regenerate with ConfigurationDocsTest#table):\n%s",
                            row(key))
                    .contains(row(key));
        }
    }

    /** One table row: key, environment variable, type, default, description, example. */
    static String row(ConfigKey<?> key) {
        return "| `" + key.propertyName() + "` | `" + key.environmentName() + "` | " + key.type() + " | "
                + (key.defaultValue() == null ? "—" : "`" + key.defaultValue() + "`") + " | " + key.description()
                + " | `" + key.example() + "` |";
    }

    /** Prints the whole table, for pasting into the doc after adding keys. */
    public static void main(String[] args) {
        System.out.println(table());
    }

    static String table() {
        StringBuilder b = new StringBuilder(
                "| key | environment | type | default | meaning | example |\n|---|---|---|---|---|---|\n");
        for (ConfigKey<?> key : AgentSettings.all()) {
            b.append(row(key)).append('\n');
        }
        return b.toString();
    }
}
