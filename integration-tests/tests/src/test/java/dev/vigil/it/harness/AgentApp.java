package dev.vigil.it.harness;

import java.time.Duration;

/**
 * A sample app running with the agent, wired to an {@link OtlpSink}: knows its HTTP port and the
 * agent's /metrics port, and waits until both the app and the agent are ready.
 */
public final class AgentApp implements AutoCloseable {
    public static final Duration STARTUP = Duration.ofSeconds(60);

    private final JavaProcess process;
    private final int appPort;
    private final int metricsPort;

    private AgentApp(JavaProcess process, int appPort, int metricsPort) {
        this.process = process;
        this.appPort = appPort;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts {@code integration-tests/apps/<app>} with the agent exporting to the sink; the app gets
     * its port as first argument and must print {@code READY <port>}.
     */
    public static AgentApp start(String app, OtlpSink sink, String... agentOptions) {
        return start(app, sink, b -> {}, agentOptions);
    }

    public static AgentApp start(
            String app,
            OtlpSink sink,
            java.util.function.Consumer<JavaProcess.Builder> customize,
            String... agentOptions) {
        return start(app, sink.endpoint(), customize, agentOptions);
    }

    /** Starts the app exporting to {@code endpoint}, which may have nothing listening (a collector that is down). */
    public static AgentApp start(
            String app,
            String endpoint,
            java.util.function.Consumer<JavaProcess.Builder> customize,
            String... agentOptions) {
        int appPort = Ports.free();
        int metricsPort = Ports.free();
        StringBuilder options = new StringBuilder()
                .append("collector.endpoint=")
                .append(endpoint)
                .append(",metrics.port=")
                .append(metricsPort)
                .append(",metrics.host=127.0.0.1")
                .append(",traces.export.interval=200ms")
                .append(",service.name=")
                .append(app);
        for (String o : agentOptions) {
            options.append(',').append(o);
        }
        JavaProcess.Builder builder = JavaProcess.builder(app)
                .agent(options.toString())
                .jar(TestEnv.appJar(app))
                .args(String.valueOf(appPort));
        customize.accept(builder);
        JavaProcess process = builder.start();
        AgentApp started = new AgentApp(process, appPort, metricsPort);
        try {
            process.awaitLine(l -> l.startsWith("READY"), STARTUP);
            started.awaitAgentReady();
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
        return started;
    }

    /** The agent is ready once its /metrics endpoint answers (it starts last). */
    public void awaitAgentReady() {
        Wait.until(STARTUP, "the agent's /metrics endpoint", () -> Http.status(metricsUrl()) == 200, process::tail);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + appPort + path;
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    public String scrape() {
        return Http.get(metricsUrl()).body();
    }

    /**
     * The value of one sample line on /metrics (exact series text before the value), or NaN if absent.
     * The {@code service} label that the agent puts on every series may be left out of {@code series}.
     */
    public double metric(String series) {
        for (String scraped : scrape().split("\n")) {
            String line = series.contains("service=\"") ? scraped : withoutServiceLabel(scraped);
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(
                        line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** A sample line without the agent's {@code service} label, so tests can name series without it. */
    public static String withoutServiceLabel(String line) {
        return line.replaceFirst("\\{service=\"[^\"]*\"\\}", "")
                .replaceFirst("\\{service=\"[^\"]*\",", "{")
                .replaceFirst(",service=\"[^\"]*\"", "");
    }

    public JavaProcess process() {
        return process;
    }

    public int appPort() {
        return appPort;
    }

    @Override
    public void close() {
        process.close();
    }
}
