package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.store.Synchronous;
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

    private final ConfigLoader loader = new ConfigLoader(Map.of("INGEST_TOKEN", "ingest-token-0123456789"));

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("collector.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void builtInDefaultsSuitALaptopDemo() throws Exception {
        CollectorConfig c = loader.defaults();
        assertThat(c.otlp().port()).isEqualTo(4318);
        assertThat(c.otlp().host()).isEqualTo("127.0.0.1");
        assertThat(c.otlp().allowUnauthenticated()).isTrue();
        assertThat(c.http().port()).isEqualTo(9096);
        assertThat(c.metrics().retention()).isEqualTo(Duration.ofDays(3));
        assertThat(c.store().synchronous()).isEqualTo(Synchronous.FULL);
        assertThat(c.dataDir()).isEqualTo(Path.of("").toAbsolutePath().resolve("vigil-data"));
    }

    @Test
    void readsAFullConfigurationWithEnvironmentSubstitution() throws Exception {
        CollectorConfig c = loader.load(write("""
                data_dir: state
                otlp:
                  port: 14318
                  tokens: ["${INGEST_TOKEN}"]
                  max_request_size: 8MiB
                  retry_after: 10s
                http:
                  port: 19096
                  admin_tokens: ["${ADMIN_TOKEN:-admin-token-0123456789}"]
                  public_url: https://vigil.example.com
                store:
                  synchronous: normal
                metrics:
                  retention: 1d
                  max_series: 1000
                errors:
                  in_app_packages: [com.shop]
                  resolve_after: 7d
                """));
        assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.otlp().tokens()).containsExactly("ingest-token-0123456789");
        assertThat(c.otlp().maxRequestBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.otlp().retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.http().adminTokens()).containsExactly("admin-token-0123456789");
        assertThat(c.store().synchronous()).isEqualTo(Synchronous.NORMAL);
        assertThat(c.metrics().maxSeries()).isEqualTo(1000);
        assertThat(c.errors().inAppPackages()).containsExactly("com.shop");
        assertThat(c.errors().resolveAfter()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void everyProblemIsReportedWithFileLineAndColumn() throws Exception {
        Path f = write("""
                otlp:
                  prot: 4318
                  allow_unauthenticated: yes please
                  max_request_size: huge
                http:
                  allow_unauthenticated: true
                metrics:
                  retention: 3 days
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        f
                                                + ":2:3: unknown key otlp.prot (did you mean otlp.port?); valid keys here: host, port,"
                                                + " tokens, allow_unauthenticated, max_request_size, max_decompressed_size,"
                                                + " max_in_flight_size, retry_after, tls",
                                        f
                                                + ":4:21: otlp.max_request_size must be a size like 1048576, 512KiB, 20MiB or 1GiB, not \"huge\"",
                                        f
                                                + ":3:26: otlp.allow_unauthenticated must be true or false, not \"yes please\"",
                                        f
                                                + ":2:3: otlp.tokens is empty: list the ingest tokens, or set otlp.allow_unauthenticated: true",
                                        f
                                                + ":8:14: metrics.retention must be a duration like 500ms, 30s, 5m, 1h or 3d, not \"3 days\""));
    }

    @Test
    void unknownTopLevelKeyIsRejectedUnlessAFeatureOwnsIt() throws Exception {
        Path f = write("""
                otlp: {allow_unauthenticated: true}
                http: {allow_unauthenticated: true}
                rules:
                  dir: alert-rules
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":3:1: unknown key rules");
        String[] seen = new String[1];
        new ConfigLoader(Map.of())
                .featureSections(
                        Set.of("rules"), root -> seen[0] = root.section("rules").string("dir", null))
                .load(f);
        assertThat(seen[0]).isEqualTo("alert-rules");
    }

    @Test
    void unsetEnvironmentVariableWithoutDefaultIsAProblem() throws Exception {
        Path f = write("""
                otlp:
                  tokens: ["${NOT_SET_ANYWHERE}"]
                http: {allow_unauthenticated: true}
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2:12: environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void tokensMustBeLongAndKeptApartFromIngestTokens() throws Exception {
        Path f = write("""
                otlp:
                  tokens: [short]
                http:
                  admin_tokens: ["${INGEST_TOKEN}"]
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("shorter than 16 characters")
                .hasMessageContaining("otlp.tokens is empty");
        Path g = write("""
                otlp:
                  tokens: ["${INGEST_TOKEN}"]
                http:
                  admin_tokens: ["${INGEST_TOKEN}"]
                """);
        assertThatThrownBy(() -> loader.load(g))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(g + ":4:17: an admin token must not also be an ingest token");
    }

    @Test
    void invalidYamlNamesTheLine() throws Exception {
        Path f = write("otlp:\n  port: [4318\nhttp: {}\n");
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":3:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void duplicateKeysAndTlsHalvesAreProblems() throws Exception {
        Path f = write("""
                otlp:
                  allow_unauthenticated: true
                  tls:
                    cert: cert.pem
                http:
                  allow_unauthenticated: true
                http:
                  port: 1
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":7:1: duplicate key http")
                .hasMessageContaining("otlp.tls needs both cert and key");
    }

    @Test
    void missingFileIsAClearError() {
        Path f = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessage(f + ": no such file");
    }

    @Test
    void samePortTwiceIsAProblem() throws Exception {
        Path f = write("""
                otlp: {allow_unauthenticated: true, port: 9000}
                http: {allow_unauthenticated: true, port: 9000}
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must differ");
    }
}
