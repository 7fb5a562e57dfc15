package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, oversized and unauthorised input each get their status and an OTLP Status body; the
 * process stays healthy and stores nothing from them. (Limits in this test: 1 MiB body, 4 MiB
 * decompressed.)
 */
class BadInputIT {
    @TempDir
    static Path dir;

    static CollectorProcess collector;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        collector = new CollectorProcess(dir, "bad-input", "", false).start();
        api = new Api(collector);
    }

    @AfterAll
    static void stop() throws Exception {
        collector.close();
    }

    private static int post(String path, String type, String encoding, byte[] body) throws Exception {
        return api.otlp(path, type, encoding, body).statusCode();
    }

    @Test
    void randomBytesAreRejectedAs400() throws Exception {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        HttpResponse<byte[]> r = api.otlp("/v1/traces", "application/x-protobuf", null, junk);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("invalid protobuf body");
        assertHealthyAndEmpty();
    }

    @Test
    void truncatedProtobufIsRejectedAs400() throws Exception {
        byte[] full = Requests.errors("bad", 0, 3, 1).toByteArray();
        assertThat(post("/v1/traces", "application/x-protobuf", null, Arrays.copyOf(full, full.length - 7)))
                .isEqualTo(400);
        assertHealthyAndEmpty();
    }

    @Test
    void invalidJsonAndWrongFieldTypesAreRejectedAs400() throws Exception {
        assertThat(post("/v1/traces", "application/json", null, "{\"resourceSpans\": [".getBytes()))
                .isEqualTo(400);
        assertThat(post("/v1/traces", "application/json", null, "{\"resourceSpans\": \"nope\"}".getBytes()))
                .isEqualTo(400);
        assertThat(post("/v1/logs", "application/json", null, "{\"resourceLogs\": [{\"scopeLogs\": 7}]}".getBytes()))
                .isEqualTo(400);
        assertThat(post("/v1/traces", "application/json", null, new byte[0])).isEqualTo(400);
        HttpResponse<byte[]> r = api.otlp("/v1/traces", "application/json", null, "not json".getBytes());
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"code\":3,\"message\":");
        assertHealthyAndEmpty();
    }

    @Test
    void emptyProtobufIsAnEmptyExport() throws Exception {
        assertThat(post("/v1/metrics", "application/x-protobuf", null, new byte[0]))
                .isEqualTo(200);
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        assertThat(post("/v1/traces", "application/x-protobuf", null, big)).isEqualTo(413);
        assertHealthyAndEmpty();
    }

    @Test
    void gzipBombGets413WithoutExhaustingMemory() throws Exception {
        byte[] bomb = Requests.gzipBomb(512 * 1024 * 1024); // 512 MiB of zeros in ~500 KiB
        assertThat(bomb.length).isLessThan(1024 * 1024);
        HttpResponse<byte[]> r = api.otlp("/v1/traces", "application/x-protobuf", "gzip", bomb);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("max_decompressed_size");
        assertHealthyAndEmpty();
    }

    @Test
    void corruptGzipGets400() throws Exception {
        assertThat(post("/v1/traces", "application/x-protobuf", "gzip", "not gzip at all".getBytes()))
                .isEqualTo(400);
        byte[] gz = Requests.gzip(Requests.errors("bad", 0, 1, 1).toByteArray());
        assertThat(post("/v1/traces", "application/x-protobuf", "gzip", Arrays.copyOf(gz, gz.length / 2)))
                .isEqualTo(400);
        assertHealthyAndEmpty();
    }

    @Test
    void wrongContentTypeEncodingPathAndMethodAreRefused() throws Exception {
        byte[] body = Requests.errors("bad", 0, 1, 1).toByteArray();
        assertThat(post("/v1/traces", "text/plain", null, body)).isEqualTo(415);
        assertThat(post("/v1/traces", null, null, body)).isEqualTo(415);
        assertThat(post("/v1/traces", "application/x-protobuf", "br", body)).isEqualTo(415);
        assertThat(post("/v1/spans", "application/x-protobuf", null, body)).isEqualTo(404);
        assertHealthyAndEmpty();
    }

    @Test
    void missingAndWrongTokensGet401AndStoreNothing() throws Exception {
        byte[] body = Requests.errors("bad", 0, 1, 1).toByteArray();
        assertThat(api.otlp("/v1/traces", "application/x-protobuf", null, body, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(api.otlp("/v1/traces", "application/x-protobuf", null, body, "wrong-token-0123456789")
                        .statusCode())
                .isEqualTo(401);
        assertThat(api.otlp("/v1/traces", "application/x-protobuf", null, body, CollectorProcess.ADMIN_TOKEN)
                        .statusCode())
                .as("an admin token is not an ingest token")
                .isEqualTo(401);
        assertHealthyAndEmpty();
    }

    @Test
    void hugeAttributeValuesWithinTheLimitAreAccepted() throws Exception {
        ExportTraceServiceRequest r = Requests.errors("huge", 0, 1, 1).toBuilder()
                .setResourceSpans(
                        0,
                        Requests.errors("huge", 0, 1, 1).getResourceSpans(0).toBuilder()
                                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                        .addAttributes(Requests.attr("service.name", "huge"))
                                        .addAttributes(Requests.attr("big", "x".repeat(900_000)))))
                .build();
        assertThat(post("/v1/traces", "application/x-protobuf", null, r.toByteArray()))
                .isEqualTo(200);
        api.await("/api/errors?service=huge", j -> j.get("groups").size() == 1);
    }

    @Test
    void aSlowClientDoesNotHoldUpOthers() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", collector.otlpPort)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                            + "Authorization: Bearer " + CollectorProcess.INGEST_TOKEN
                            + "\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[10]);
            out.flush();
            // meanwhile, a normal client is served
            assertThat(post(
                            "/v1/traces",
                            "application/x-protobuf",
                            null,
                            Requests.errors("other", 0, 1, 1).toByteArray()))
                    .isEqualTo(200);
            InputStream in = slow.getInputStream();
            assertThat(in.available()).isZero(); // the slow request is still waiting for its body
        }
        assertThat(api.get("/healthz", null).statusCode()).isEqualTo(200);
    }

    /** The process still answers, and nothing from service "bad" was stored. */
    private static void assertHealthyAndEmpty() throws Exception {
        assertThat(collector.isAlive()).isTrue();
        assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
        assertThat(api.json("/api/errors?service=bad").get("groups")).isEmpty();
    }
}
