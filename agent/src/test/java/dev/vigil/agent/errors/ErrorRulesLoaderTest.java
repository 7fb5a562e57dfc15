package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorRulesLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsValidRulesAndReportsEachInvalidOneWithItsLine() throws Exception {
        Path file = dir.resolve("vigil.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "service.name: shop",
                        "errors:",
                        "  rules:",
                        "    - type: com.shop.CardDeclined",
                        "      category: invalid_input",
                        "    - message: \"(unclosed\"",
                        "      category: bug",
                        "    - status: 5xx",
                        "      component: http_client",
                        "      retryable: maybe",
                        "    - sql_state: '23505'",
                        "      severity: critical",
                        "    - colour: red",
                        "      ignore: true",
                        "    - just a string",
                        ""));
        ErrorRulesLoader.Result result = ErrorRulesLoader.load(file);
        assertThat(result.rules()).hasSize(2);
        assertThat(result.warnings())
                .hasSize(4)
                .anySatisfy(w -> assertThat(w).startsWith("vigil.yaml:6: message is not a valid regular expression"))
                .anySatisfy(w -> assertThat(w).startsWith("vigil.yaml:8: retryable must be true or false"))
                .anySatisfy(w -> assertThat(w).startsWith("vigil.yaml:13: unknown rule field 'colour'"))
                .anySatisfy(w -> assertThat(w).startsWith("vigil.yaml:15: a rule must be a mapping"));

        ErrorClassifier classifier = ErrorClassifier.withRules(result.rules());
        assertThat(classifier
                        .classify(
                                List.of(new ExceptionInfo("com.shop.CardDeclined", "no", List.of())),
                                ErrorComponent.HTTP_SERVER)
                        .category())
                .isEqualTo(ErrorCategory.INVALID_INPUT);
    }

    @Test
    void aFileWithoutRulesOrUnreadableGivesNoRulesAndNoWarning() throws Exception {
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, "service:\n  name: shop\n");
        assertThat(ErrorRulesLoader.load(file).rules()).isEmpty();
        assertThat(ErrorRulesLoader.load(dir.resolve("missing.yaml")).warnings())
                .isEmpty();
    }

    @Test
    void aSectionThatIsNotAListIsReported() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "errors:\n  rules: everything\n");
        assertThat(ErrorRulesLoader.load(file).warnings())
                .containsExactly("bad.yaml:2: errors.rules must be a list of rules; no rule applies");
    }
}
