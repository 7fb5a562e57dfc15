package dev.vigil.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("vigil.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        AgentConfig config = ConfigLoader.builder().load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(9464);
        assertThat(config.get(AgentSettings.COLLECTOR_ENDPOINT)).isEqualTo("http://localhost:4318");
        assertThat(config.get(AgentSettings.SERVICE_NAME)).isNull();
        assertThat(config.source(AgentSettings.METRICS_PORT)).isEqualTo("default");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void laterLayersWinFileThenEnvironmentThenSystemPropertiesThenAgentArguments() throws IOException {
        Path file = yaml(
                "metrics:\n  port: 1001\n  host: 10.0.0.1\nservice.name: from-file\ntraces:\n  batch:\n    size: 7\n");
        AgentConfig config = ConfigLoader.builder()
                .environment(Map.of(
                        "VIGIL_CONFIG", file.toString(),
                        "VIGIL_METRICS_PORT", "1002",
                        "OTEL_SERVICE_NAME", "from-otel-env",
                        "VIGIL_SERVICE_NAME", "from-vigil-env"))
                .systemProperties(Map.of("vigil.metrics.port", "1003", "otel.service.name", "from-otel-prop"))
                .agentArgs("metrics.port=1004")
                .load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(1004);
        assertThat(config.source(AgentSettings.METRICS_PORT)).isEqualTo("agent argument metrics.port");
        assertThat(config.get(AgentSettings.METRICS_HOST)).isEqualTo("10.0.0.1");
        assertThat(config.get(AgentSettings.TRACES_BATCH_SIZE)).isEqualTo(7);
        // -Dotel.service.name beats VIGIL_SERVICE_NAME: system properties are a stronger layer
        assertThat(config.get(AgentSettings.SERVICE_NAME)).isEqualTo("from-otel-prop");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void standardOtelVariablesAreHonoured() {
        AgentConfig config = ConfigLoader.builder()
                .environment(Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example:4318/",
                        "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=shop,api-key=a%3Db",
                        "OTEL_RESOURCE_ATTRIBUTES", "team=payments"))
                .load();
        assertThat(config.get(AgentSettings.COLLECTOR_ENDPOINT)).isEqualTo("https://collector.example:4318");
        assertThat(config.get(AgentSettings.COLLECTOR_HEADERS))
                .containsEntry("x-tenant", "shop")
                .containsEntry("api-key", "a=b");
        assertThat(config.get(AgentSettings.RESOURCE_ATTRIBUTES)).containsEntry("team", "payments");
    }

    @Test
    void unknownKeyIsReportedWithTheClosestValidKey() {
        AgentConfig config = ConfigLoader.builder().agentArgs("metrics.prot=9").load();
        assertThat(config.warnings())
                .singleElement()
                .asString()
                .contains("vigil.metrics.prot")
                .contains("did you mean vigil.metrics.port?");
    }

    @Test
    void malformedValueFallsBackToTheDefaultWithAReason() {
        AgentConfig config = ConfigLoader.builder()
                .systemProperties(Map.of("vigil.metrics.port", "70000", "vigil.traces.sample.ratio", "2"))
                .load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(9464);
        assertThat(config.get(AgentSettings.TRACES_SAMPLE_RATIO)).isEqualTo(1.0);
        assertThat(config.warnings()).hasSize(2);
        assertThat(config.warnings().toString())
                .contains(
                        "vigil.metrics.port from system property vigil.metrics.port: expected a number from 0 to 65535")
                .contains("expected a number from 0 to 1");
    }

    @Test
    void instrumentationSwitchesAreValidatedAgainstKnownInstrumentations() {
        AgentConfig config = ConfigLoader.builder()
                .instrumentationNames(Set.of("jdbc", "servlet"))
                .agentArgs("instrumentation.jdbc.enabled=false,instrumentation.servet.enabled=false")
                .load();
        assertThat(config.instrumentationEnabled("jdbc")).isFalse();
        assertThat(config.instrumentationEnabled("servlet")).isTrue();
        assertThat(config.warnings())
                .singleElement()
                .asString()
                .contains("'servet'")
                .contains("did you mean servlet?");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumnAndTheFileIsIgnored() throws IOException {
        Path file = yaml("metrics:\n  port: 1001\n  host: [unclosed\n");
        AgentConfig config = ConfigLoader.builder().agentArgs("config=" + file).load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(9464);
        assertThat(config.warnings())
                .singleElement()
                .asString()
                .contains(file + ":")
                .contains("invalid YAML");
    }

    @Test
    void missingFileIsReportedNotFatal() {
        AgentConfig config = ConfigLoader.builder()
                .agentArgs("config=/nonexistent/vigil.yaml")
                .load();
        assertThat(config.warnings()).singleElement().asString().contains("/nonexistent/vigil.yaml does not exist");
    }

    @Test
    void listSectionsAreRecognisedAndNotTreatedAsSettings() throws IOException {
        Path file = yaml("metrics:\n  - name: orders.placed\n    type: counter\n    method: a.B#c\n");
        AgentConfig config = ConfigLoader.builder().agentArgs("config=" + file).load();
        assertThat(config.sections()).containsExactly("metrics");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void businessMetricsMayBeListedBesideOtherMetricsSettings() throws IOException {
        Path file = yaml("metrics:\n  port: 1002\n  hooks:\n    - {name: a, type: counter, method: 'a.B#c'}\n");
        AgentConfig config = ConfigLoader.builder().agentArgs("config=" + file).load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(1002);
        assertThat(config.sections()).containsExactly("metrics.hooks");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void durationsAndSizesParse() {
        assertThat(ConfigValues.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigValues.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConfigValues.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigValues.bytes("64MiB")).isEqualTo(64L * 1024 * 1024);
        assertThat(ConfigValues.bytes("512kb")).isEqualTo(512L * 1024);
    }

    @Test
    void agentArgumentsWithoutEqualsAreReported() {
        AgentConfig config =
                ConfigLoader.builder().agentArgs("metrics.port=1,justaword").load();
        assertThat(config.get(AgentSettings.METRICS_PORT)).isEqualTo(1);
        assertThat(config.warnings()).singleElement().asString().contains("'justaword'");
    }
}
