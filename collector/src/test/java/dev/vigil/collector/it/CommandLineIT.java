package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line: validate, bad configurations, API tokens. */
class CommandLineIT {
    @TempDir
    Path dir;

    @Test
    void validateAcceptsAGoodConfigurationAndRejectsABadOneWithFileAndLine() throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "otlp:\n  allow_unauthenticated: true\nhttp:\n  allow_unauthenticated: true\n");
        CollectorProcess.Result ok = CollectorProcess.run(List.of("validate", "--config", good.toString()));
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.output()).contains(good + ": OK");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(
                bad, "otlp:\n  allow_unauthenticated: true\n  port: 99999\nhttp:\n  alow_unauthenticated: true\n");
        CollectorProcess.Result r = CollectorProcess.run(List.of("validate", "--config", bad.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output())
                .contains(bad + ":3:9: otlp.port must be between 0 and 65535, not 99999")
                .contains(
                        bad + ":5:3: unknown key http.alow_unauthenticated (did you mean http.allow_unauthenticated?)");
    }

    @Test
    void runningWithABadConfigurationExitsWith2() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "nonsense: 1\n");
        CollectorProcess.Result r = CollectorProcess.run(List.of("--config", bad.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains(bad + ":1:1: unknown key nonsense");
        assertThat(CollectorProcess.run(List.of("--bogus")).exitCode()).isEqualTo(2);
    }

    @Test
    void apiTokensReadAdminTokensChangeAndIngestTokensDoNeither() throws Exception {
        try (CollectorProcess c = new CollectorProcess(dir, "api-auth", "", false).start()) {
            Api api = new Api(c);
            assertThat(api.otlp(
                                    "/v1/traces",
                                    "application/x-protobuf",
                                    null,
                                    Requests.errors("auth", 0, 1, 1).toByteArray())
                            .statusCode())
                    .isEqualTo(200);
            String id = api.await("/api/errors", j -> j.get("groups").size() == 1)
                    .get("groups")
                    .get(0)
                    .get("id")
                    .asText();

            assertThat(api.get("/api/errors", null).statusCode()).isEqualTo(401);
            assertThat(api.get("/api/errors", CollectorProcess.INGEST_TOKEN).statusCode())
                    .isEqualTo(401);
            assertThat(api.get("/api/errors", CollectorProcess.API_TOKEN).statusCode())
                    .isEqualTo(200);
            assertThat(api.send("POST", "/api/errors/" + id + "/resolve", CollectorProcess.API_TOKEN)
                            .statusCode())
                    .isEqualTo(403);
            assertThat(api.send("POST", "/api/errors/" + id + "/resolve", CollectorProcess.ADMIN_TOKEN)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(api.json("/api/errors/" + id).get("status").asText()).isEqualTo("resolved");
            assertThat(api.send("POST", "/api/errors/nope/resolve", CollectorProcess.ADMIN_TOKEN)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(api.get("/api/nothing", CollectorProcess.API_TOKEN).statusCode())
                    .isEqualTo(404);
            assertThat(api.send("PUT", "/api/errors", CollectorProcess.API_TOKEN)
                            .statusCode())
                    .isEqualTo(405);
            assertThat(api.get("/healthz", null).statusCode()).isEqualTo(200);
            assertThat(api.get("/metrics", null).statusCode()).isEqualTo(200);

            String instance =
                    api.json("/api/instances").get("instances").get(0).get("id").asText();
            assertThat(api.send("DELETE", "/api/instances/" + instance, CollectorProcess.API_TOKEN)
                            .statusCode())
                    .isEqualTo(403);
            assertThat(api.send("DELETE", "/api/instances/" + instance, CollectorProcess.ADMIN_TOKEN)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(api.json("/api/instances").get("instances")).isEmpty();
        }
    }

    @Test
    void secondCollectorOnTheSameDataDirectoryRefusesToStart() throws Exception {
        try (CollectorProcess c = new CollectorProcess(dir, "first", "", false).start()) {
            CollectorProcess.Result r =
                    CollectorProcess.run(List.of("--config", c.config().toString()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("another collector is using the data directory");
        }
    }
}
