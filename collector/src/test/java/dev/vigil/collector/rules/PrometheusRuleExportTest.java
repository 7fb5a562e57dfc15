package dev.vigil.collector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusRuleExportTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The shipped rules as Prometheus rules, with runbook links to {@code http://vigil:9096}. */
    private static String exportShipped(Path out) {
        return export(out, "http://vigil:9096", "rules", "export", "--format", "prometheus");
    }

    /** Runs {@code command} (an export command and its format options) over the shipped rules and runbooks. */
    private static String export(Path out, String collectorUrl, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(
                "--rules",
                ROOT.resolve("alert-rules").toString(),
                "--runbooks",
                ROOT.resolve("runbook-templates").toString(),
                "--out",
                out.toString(),
                "--collector-url",
                collectorUrl));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RulesCommand.run(
                args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).as(err.toString()).isZero();
        try {
            return Files.readString(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void exportsOnlyMetricRulesWithRunbookUrls(@TempDir Path dir) {
        String text = exportShipped(dir.resolve("vigil.rules.yml"));
        assertThat(text)
                .contains(
                        "alert: HighErrorRatio",
                        "alert: HighLatencyP99",
                        "alert: SLOFastBurn",
                        "alert: DependencyUnavailable",
                        "alert: JvmHeapPressure",
                        "alert: NotificationReceiverFailing")
                .doesNotContain("alert: NewErrorGroup", "alert: ServiceSilent", "alert: ErrorSpike")
                .contains(
                        "runbook_url: http://vigil:9096/runbooks/rules/HighErrorRatio?service={{ $labels.service | urlquery }}&value={{ $value }}")
                .contains("http_server_request_duration_seconds_count{error_type!=\"\"}")
                .contains(
                        "histogram_quantile(0.99, sum by (service, http_route, le) (rate(http_server_request_duration_seconds_bucket[5m])))")
                .contains("keep_firing_for: 2m")
                .contains("window: 1h/5m");
    }

    @Test
    void shippedPrometheusRuleFileIsCurrent(@TempDir Path dir) throws Exception {
        // the command the docs give for regenerating the shipped file
        String fresh = export(dir.resolve("prometheus-rules.yml"), "http://127.0.0.1:9096", "export-rules");
        // The first line names the rules folder as given on the command line; the rest must match.
        String shipped = Files.readString(ROOT.resolve("collector/config/prometheus-rules.yml"));
        assertThat(shipped.substring(shipped.indexOf('\n')))
                .as(
                        "collector/config/prometheus-rules.yml is stale: java -jar collector/target/vigil-collector.jar"
                                + " export-rules --out collector/config/prometheus-rules.yml --collector-url http://127.0.0.1:9096")
                .isEqualTo(fresh.substring(fresh.indexOf('\n')));
    }

    @Test
    void annotationsBecomeGoTemplatesOrAreLeftOut() {
        AlertRule rule = new AlertRule(
                "X",
                "g",
                java.time.Duration.ofSeconds(30),
                java.time.Duration.ZERO,
                java.time.Duration.ZERO,
                java.util.Map.of("severity", "page"),
                java.util.Map.of(),
                "x.md",
                List.of("service"),
                List.of(),
                "r:1",
                new Condition.ErrorRatio("m", java.time.Duration.ofMinutes(5), 0.05, 20));
        assertThat(PrometheusRuleExport.goTemplate(
                        "{{service}}: {{value_percent}} (over {{threshold_percent}}) {{{labels.http_route}}} {{labels.window}}",
                        rule,
                        java.util.Map.of("window", "1h/5m")))
                .isEqualTo(
                        "{{ $labels.service }}: {{ $value | humanizePercentage }} (over 5%) {{ $labels.http_route }} 1h/5m");
        assertThat(PrometheusRuleExport.goTemplate("{{error_group.type}}", rule, java.util.Map.of()))
                .isNull();
    }

    /** promtool is installed by scripts/install-test-deps.sh (CI runs it first). */
    private static boolean promtoolInstalled() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, "promtool"))) {
                return true;
            }
        }
        return false;
    }

    private static String promtool(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("promtool");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as("promtool finished").isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            return output;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void passesPromtoolCheckAndTheShippedRuleUnitTests(@TempDir Path dir) throws Exception {
        assumeTrue(promtoolInstalled(), "promtool is not installed; run scripts/install-test-deps.sh");
        exportShipped(dir.resolve("vigil.rules.yml"));
        assertThat(promtool(dir, "check", "rules", "vigil.rules.yml")).contains("SUCCESS");
        List<String> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("alert-rules/promtool-tests"))) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
                tests.add(f.getFileName().toString());
            }
        }
        assertThat(tests).isNotEmpty();
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(tests);
        assertThat(promtool(dir, args.toArray(new String[0]))).contains("SUCCESS");
    }
}
