package dev.vigil.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.TestEnv;
import dev.vigil.it.harness.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real processes: the demo shop and its payments dependency with the agent
 * attached by the JVM flag only, the collector jar running the shipped rules (demo-sized windows,
 * scripts/demo-rules.sh) and runbook templates, the Debian packages' Prometheus scraping the agents
 * and the collector, and Alertmanager receiving the collector's alerts and passing them to a webhook.
 * The four failures of the demo (a burst of 5xx, a slow database, a deploy with a new bug, the
 * payments dependency down) must each reach the webhook with a runbook_url; the new error's page
 * names the failing service, holds the stack trace and a trace id the collector knows.
 */
class EndToEndIT {
    private static final Duration FIRE = Duration.ofMinutes(3);
    private static final String INGEST_TOKEN = "e2e-ingest-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_TOKEN = "e2e-admin-token-0123456789";

    private final List<JavaProcess> processes = new ArrayList<>();
    private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    private HttpServer webhook;

    @TempDir
    Path work;

    @AfterEach
    void stopEverything() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void injectedFailuresPageThroughAlertmanagerWithRunbooksThatHoldTheError() throws Exception {
        int otlp = Ports.free();
        int api = Ports.free();
        int am = Ports.free();
        int prom = Ports.free();
        int shopPort = Ports.free();
        int shopMetrics = Ports.free();
        int paymentsPort = Ports.free();
        int paymentsMetrics = Ports.free();
        String apiUrl = "http://127.0.0.1:" + api;

        int webhookPort = startWebhook();
        startAlertmanager(am, webhookPort);
        startCollector(otlp, api, am);
        Path app = TestEnv.appJar("demo-shop");
        String agent = "collector.endpoint=http://127.0.0.1:" + otlp + ",collector.token=" + INGEST_TOKEN
                + ",metrics.host=127.0.0.1,collector.buffer.directory=" + work.resolve("buffer");
        JavaProcess payments = start(JavaProcess.builder("e2e-payments")
                .agent(agent + ",service.name=payments,metrics.port=" + paymentsMetrics)
                .jar(app)
                .args("payments", String.valueOf(paymentsPort)));
        awaitReady(payments);
        JavaProcess shop = start(JavaProcess.builder("e2e-shop")
                .agent(agent + ",service.name=shop,metrics.port=" + shopMetrics)
                .jar(app)
                .args("shop", String.valueOf(shopPort), "http://127.0.0.1:" + paymentsPort));
        awaitReady(shop);
        startPrometheus(prom, List.of(shopMetrics, paymentsMetrics), api);
        start(JavaProcess.builder("e2e-load").jar(app).args("load", "http://127.0.0.1:" + shopPort, "20"));

        // Prometheus scrapes the agents and the collector, and sees the shop's request histogram.
        String promUrl = "http://127.0.0.1:" + prom;
        Wait.until(
                Duration.ofSeconds(90),
                "Prometheus to scrape 3 targets up",
                () -> promQuery(promUrl, "sum(up)").contains("\"3\"]"),
                () -> promQuery(promUrl, "up"));
        Wait.until(
                Duration.ofSeconds(60),
                "http_server_request_duration_seconds_count{service=\"shop\"} in Prometheus",
                () -> promQuery(promUrl, "http_server_request_duration_seconds_count{service=\"shop\"}")
                        .contains("\"http_route\""),
                () -> promQuery(promUrl, "http_server_request_duration_seconds_count"));

        // A burst of 5xx (the first failures of the run, so the page is this one's): HighErrorRatio.
        String shopUrl = "http://127.0.0.1:" + shopPort;
        Http.post(shopUrl + "/admin/faults/burst-5xx?on=true", "");
        String ratioRunbook = awaitWebhookAlert("HighErrorRatio", null, apiUrl);
        assertThat(Http.get(ratioRunbook + "?format=md").body()).contains("shop");
        Http.post(shopUrl + "/admin/faults/burst-5xx?on=false", "");

        // The database gets slow: SlowDatabase (p95 of JDBC operations over its threshold).
        Http.post(shopUrl + "/admin/faults/slow-db?on=true", "");
        String slowRunbook = awaitWebhookAlert("SlowDatabase", null, apiUrl);
        assertThat(Http.get(slowRunbook + "?format=md").body()).contains("shop");
        Http.post(shopUrl + "/admin/faults/slow-db?on=false", "");

        // A deploy ships a new bug: NewErrorGroup fires, reaches the webhook through Alertmanager,
        // and its runbook holds the service, the stack trace and a trace id the collector knows.
        Http.post("http://127.0.0.1:" + shopPort + "/admin/faults/new-bug?on=true", "");
        String runbookUrl = awaitWebhookAlert("NewErrorGroup", "ArithmeticException", apiUrl);
        String runbook = Http.get(runbookUrl + (runbookUrl.contains("?") ? "&" : "?") + "format=md")
                .body();
        assertThat(runbook)
                .contains("shop")
                .contains("java.lang.ArithmeticException")
                .contains("totalWithBundleDiscount");
        Set<String> runbookTraceIds = traceIds(runbook);
        assertThat(runbookTraceIds).as("trace ids in the runbook").isNotEmpty();
        String groups = Http.get(apiUrl + "/api/errors?service=shop", "Authorization", "Bearer " + API_TOKEN)
                .body();
        String groupId = null;
        for (JsonNode g : JSON.readTree(groups).path("groups")) {
            if (g.path("type").asText().equals("java.lang.ArithmeticException")) {
                groupId = g.path("id").asText();
            }
        }
        assertThat(groupId).as("the ArithmeticException group in " + groups).isNotNull();
        String detail = Http.get(apiUrl + "/api/errors/" + groupId, "Authorization", "Bearer " + API_TOKEN)
                .body();
        assertThat(traceIds(detail))
                .as("the collector's error group knows a trace id of the runbook")
                .containsAnyElementsOf(runbookTraceIds);
        Http.post("http://127.0.0.1:" + shopPort + "/admin/faults/new-bug?on=false", "");

        // The payments dependency goes down: DependencyUnavailable pages with its runbook, and
        // resolves once payments is back.
        payments.close();
        String dependencyRunbook = awaitWebhookAlert("DependencyUnavailable", null, apiUrl);
        assertThat(Http.get(dependencyRunbook + "?format=md").body()).contains("shop");
        JavaProcess paymentsAgain = start(JavaProcess.builder("e2e-payments-2")
                .agent(agent + ",service.name=payments,metrics.port=" + paymentsMetrics)
                .jar(app)
                .args("payments", String.valueOf(paymentsPort)));
        awaitReady(paymentsAgain);
        Wait.until(
                Duration.ofMinutes(4),
                "a resolved DependencyUnavailable at the webhook",
                () -> webhookBodies.stream()
                        .anyMatch(b -> b.contains("\"status\":\"resolved\"") && b.contains("DependencyUnavailable")),
                () -> String.join("\n", webhookBodies));
    }

    private JavaProcess start(JavaProcess.Builder builder) {
        JavaProcess p = builder.start();
        processes.add(p);
        return p;
    }

    private static void awaitReady(JavaProcess p) {
        p.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
    }

    private int startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        webhook.createContext("/alerts", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                webhookBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        return webhook.getAddress().getPort();
    }

    private void startAlertmanager(int port, int webhookPort) throws IOException {
        String shipped = Files.readString(TestEnv.repoRoot().resolve("collector/config/alertmanager.yml"));
        assertThat(shipped).contains("http://127.0.0.1:9099/alerts");
        Path config = work.resolve("alertmanager.yml");
        Files.writeString(
                config, shipped.replace("http://127.0.0.1:9099/alerts", "http://127.0.0.1:" + webhookPort + "/alerts"));
        JavaProcess alertmanager = start(JavaProcess.builder("e2e-alertmanager")
                .executable(TestEnv.program("prometheus-alertmanager", "alertmanager"))
                .args(
                        "--config.file=" + config,
                        "--storage.path=" + work.resolve("am-data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address="));
        awaitHttp("http://127.0.0.1:" + port + "/-/ready", alertmanager);
    }

    private void startCollector(int otlp, int api, int am) throws IOException, InterruptedException {
        Path rules = work.resolve("rules");
        Process gen = new ProcessBuilder(
                        "bash",
                        TestEnv.repoRoot().resolve("scripts/demo-rules.sh").toString(),
                        rules.toString())
                .inheritIO()
                .start();
        assertThat(gen.waitFor()).as("scripts/demo-rules.sh").isZero();
        Path config = work.resolve("collector.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "data_dir: " + work.resolve("collector-data"),
                        "otlp:",
                        "  host: 127.0.0.1",
                        "  port: " + otlp,
                        "  tokens: [" + INGEST_TOKEN + "]",
                        "http:",
                        "  host: 127.0.0.1",
                        "  port: " + api,
                        "  public_url: http://127.0.0.1:" + api,
                        "  admin_tokens: [" + API_TOKEN + "]",
                        "rules:",
                        "  dir: " + rules,
                        "  runbooks_dir: " + TestEnv.repoRoot().resolve("runbook-templates"),
                        "  evaluation_interval: 2s",
                        "notifications:",
                        "  receivers:",
                        "    - name: alertmanager",
                        "      type: alertmanager",
                        "      url: http://127.0.0.1:" + am,
                        ""));
        JavaProcess collector = start(
                JavaProcess.builder("e2e-collector").jar(TestEnv.collectorJar()).args("--config", config.toString()));
        awaitHttp("http://127.0.0.1:" + api + "/readyz", collector);
    }

    private void startPrometheus(int port, List<Integer> agentPorts, int collectorPort) throws IOException {
        Path config = work.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 2s",
                        "scrape_configs:",
                        "  - job_name: vigil-agents",
                        "    static_configs:",
                        "      - targets: ["
                                + agentPorts.stream()
                                        .map(p -> "\"127.0.0.1:" + p + "\"")
                                        .collect(Collectors.joining(", "))
                                + "]",
                        "  - job_name: vigil-collector",
                        "    static_configs:",
                        "      - targets: [\"127.0.0.1:" + collectorPort + "\"]",
                        ""));
        JavaProcess prometheus = start(JavaProcess.builder("e2e-prometheus")
                .executable(TestEnv.program("prometheus"))
                .args(
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + work.resolve("prom-data"),
                        "--web.listen-address=127.0.0.1:" + port));
        awaitHttp("http://127.0.0.1:" + port + "/-/ready", prometheus);
    }

    private static void awaitHttp(String url, JavaProcess server) {
        Wait.until(
                Duration.ofSeconds(90),
                url + " to answer 200",
                () -> {
                    if (!server.isAlive()) {
                        throw new AssertionError(server.name() + " exited:\n" + server.tail());
                    }
                    return Http.status(url) == 200;
                },
                server::tail);
    }

    private static String promQuery(String prometheus, String query) {
        HttpResponse<String> r =
                Http.get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        return r.statusCode() == 200 ? r.body() : "";
    }

    /** Waits for a firing alert at the webhook (sent by Alertmanager) and returns its runbook_url. */
    private String awaitWebhookAlert(String alertname, String bodyMustContain, String apiUrl) {
        Pattern runbook = Pattern.compile("\"runbook_url\":\"([^\"]+)\"");
        String[] found = new String[1];
        Wait.until(
                FIRE,
                alertname + " delivered by Alertmanager with a runbook_url",
                () -> {
                    for (String body : webhookBodies) {
                        if (body.contains("\"alertname\":\"" + alertname + "\"")
                                && body.contains("\"status\":\"firing\"")
                                && (bodyMustContain == null || body.contains(bodyMustContain))) {
                            Matcher m = runbook.matcher(body);
                            if (m.find()) {
                                found[0] = m.group(1);
                                return true;
                            }
                        }
                    }
                    return false;
                },
                () -> "webhook got " + webhookBodies.size() + " deliveries; collector alerts: "
                        + Http.get(apiUrl + "/api/alerts", "Authorization", "Bearer " + API_TOKEN)
                                .body());
        assertThat(found[0]).startsWith(apiUrl + "/runbooks/");
        return found[0];
    }

    private static Set<String> traceIds(String text) {
        Matcher m = Pattern.compile("\\b[0-9a-f]{32}\\b").matcher(text);
        Set<String> ids = new java.util.HashSet<>();
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }
}
