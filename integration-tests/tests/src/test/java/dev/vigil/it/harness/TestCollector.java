package dev.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The collector jar as a real process on free loopback ports, with an ingest token and an API
 * token, its data in a directory of the test's. {@link #start} may be called again after
 * {@link #close} to restart it on the same ports and data.
 */
public final class TestCollector implements AutoCloseable {
    public static final String INGEST_TOKEN = "test-ingest-token-0123456789";
    public static final String API_TOKEN = "test-api-token-0123456789";

    private final String name;
    private final Path config;
    private final int otlpPort = Ports.free();
    private final int apiPort = Ports.free();
    private JavaProcess process;

    private TestCollector(String name, Path dir) {
        this.name = name;
        this.config = dir.resolve("collector.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "data_dir: " + dir.resolve("data"),
                            "otlp: {host: 127.0.0.1, port: " + otlpPort + ", tokens: [" + INGEST_TOKEN + "]}",
                            "http: {host: 127.0.0.1, port: " + apiPort + ", api_tokens: [" + API_TOKEN + "]}",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the configuration into {@code dir} and starts the collector. */
    public static TestCollector start(String name, Path dir) {
        return new TestCollector(name, dir).start();
    }

    /** Starts (again) and waits until {@code /readyz} answers 200. */
    public TestCollector start() {
        process = JavaProcess.builder(name)
                .jar(TestEnv.collectorJar())
                .args("--config", config.toString())
                .start();
        Wait.until(
                Duration.ofSeconds(60),
                "the collector to be ready",
                () -> Http.status(apiUrl() + "/readyz") == 200,
                process::tail);
        return this;
    }

    public String otlpUrl() {
        return "http://127.0.0.1:" + otlpPort;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** GET on the API with the API token; the body. */
    public String api(String path) {
        return Http.get(apiUrl() + path, "Authorization", "Bearer " + API_TOKEN).body();
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
