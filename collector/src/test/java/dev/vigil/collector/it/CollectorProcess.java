package dev.vigil.collector.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The collector jar as a real process, on free loopback ports, with its output in target/it-logs. */
final class CollectorProcess implements AutoCloseable {
    static final String INGEST_TOKEN = "ingest-token-0123456789abcdef";
    static final String API_TOKEN = "api-token-0123456789abcdef";
    static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    final Path dir;
    final int otlpPort;
    final int apiPort;
    final boolean tls;
    private final String name;
    private final String extraYaml;
    private Process process;
    private int starts;

    CollectorProcess(Path dir, String name, String extraYaml, boolean tls) throws IOException {
        this.dir = dir;
        this.name = name;
        this.extraYaml = extraYaml;
        this.tls = tls;
        this.otlpPort = freePort();
        this.apiPort = freePort();
        Files.createDirectories(dir);
        Files.writeString(config(), yaml());
    }

    Path config() {
        return dir.resolve("collector.yaml");
    }

    private String yaml() {
        String tlsBlock = tls ? "  tls: {cert: cert.pem, key: key.pem}\n" : "";
        return "data_dir: data\n"
                + "otlp:\n  host: 127.0.0.1\n  port: " + otlpPort + "\n  tokens: [\"${IT_INGEST_TOKEN}\"]\n"
                + "  max_request_size: 1MiB\n  max_decompressed_size: 4MiB\n  retry_after: 2s\n" + tlsBlock
                + "http:\n  host: 127.0.0.1\n  port: " + apiPort + "\n  api_tokens: [" + API_TOKEN + "]\n"
                + "  admin_tokens: [" + ADMIN_TOKEN + "]\n" + tlsBlock
                + "log:\n  format: text\n"
                + extraYaml;
    }

    CollectorProcess start() throws Exception {
        Path logs = Path.of(System.getProperty("vigil.it.logs", "target/it-logs"));
        Files.createDirectories(logs);
        Path out = logs.resolve(name + "-" + (++starts) + ".log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "-jar", jar(), "--config", config().toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("IT_INGEST_TOKEN", INGEST_TOKEN);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpClient http = Https.client(dir, tls);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the collector exited with " + process.exitValue() + "; see " + out
                        + ":\n" + Files.readString(out));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(apiUrl() + "/readyz"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the collector was not ready within 60 s; see " + out);
    }

    String otlpUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + otlpPort;
    }

    String apiUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + apiPort;
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful shutdown. */
    int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the jar with arguments to completion (for {@code validate}); returns exit code and output. */
    static Result run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("IT_INGEST_TOKEN", INGEST_TOKEN);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the collector did not finish: " + output);
        }
        return new Result(p.exitValue(), output);
    }

    record Result(int exitCode, String output) {}

    static String jar() {
        String jar = System.getProperty("vigil.collector.jar", "target/vigil-collector.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run mvn package -pl collector first");
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
