package dev.vigil.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.Promtool;
import dev.vigil.it.harness.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus and Alertmanager configuration shipped in collector/config/ is valid for the real
 * tools, and the exported rule file in it is what the current alert-rules/ export to.
 */
class ShippedConfigIT {
    private static final Path CONFIG = TestEnv.repoRoot().resolve("collector/config");

    @TempDir
    Path work;

    @Test
    void prometheusConfigAndItsRuleFilePassPromtool() {
        Promtool.Result r = Promtool.run(
                null,
                TestEnv.program("promtool"),
                "check",
                "config",
                CONFIG.resolve("prometheus.yml").toString());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS").contains("rules found");
    }

    @Test
    void alertmanagerConfigPassesAmtool() {
        Promtool.Result r = Promtool.run(
                null,
                TestEnv.program("amtool"),
                "check-config",
                CONFIG.resolve("alertmanager.yml").toString());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    @Test
    void shippedRuleFileIsTheExportOfTheCurrentRules() throws Exception {
        Path fresh = work.resolve("prometheus-rules.yml");
        try (JavaProcess export = JavaProcess.builder("export-rules")
                .jar(TestEnv.collectorJar())
                .workDir(TestEnv.repoRoot())
                .args("export-rules", "--out", fresh.toString(), "--collector-url", "http://127.0.0.1:9096")
                .start()) {
            assertThat(export.awaitExit(Duration.ofSeconds(60)))
                    .as(export.outputText())
                    .isZero();
        }
        assertThat(Files.readString(CONFIG.resolve("prometheus-rules.yml")))
                .as("collector/config/prometheus-rules.yml is stale: regenerate it with "
                        + "java -jar collector/target/vigil-collector.jar export-rules --out "
                        + "collector/config/prometheus-rules.yml --collector-url http://127.0.0.1:9096")
                .isEqualTo(Files.readString(fresh));
    }
}
