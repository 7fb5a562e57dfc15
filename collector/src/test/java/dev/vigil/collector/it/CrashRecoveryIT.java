package dev.vigil.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} while requests are being ingested: every acknowledged group and count survives. */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void killDashNineDuringIngestLosesNothingAcknowledged() throws Exception {
        CollectorProcess c = new CollectorProcess(dir, "crash", "", false).start();
        Api api = new Api(c);
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Map<String, Integer> sent = new ConcurrentHashMap<>();
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        Thread sender = new Thread(
                () -> {
                    for (int i = 0; i < 10_000; i++) {
                        // each request: 3 new error types (twice each) and the shared type 0 once
                        int first = 1 + 3 * i;
                        byte[] body = Requests.errors("crash", first, 3, 2).toBuilder()
                                .addResourceSpans(
                                        Requests.errors("crash", 0, 1, 1).getResourceSpans(0))
                                .build()
                                .toByteArray();
                        Map<String, Integer> inRequest = new HashMap<>();
                        for (int t = first; t < first + 3; t++) {
                            inRequest.put("com.shop.Failure" + t + "Exception", 2);
                        }
                        inRequest.put("com.shop.Failure0Exception", 1);
                        inRequest.forEach((k, v) -> sent.merge(k, v, Integer::sum));
                        try {
                            HttpResponse<byte[]> r = api.otlp("/v1/traces", "application/x-protobuf", null, body);
                            if (r.statusCode() == 200) {
                                inRequest.forEach((k, v) -> acknowledged.merge(k, v, Integer::sum));
                                if (acks.incrementAndGet() == 150) {
                                    enough.countDown();
                                }
                            }
                        } catch (Exception e) {
                            return; // the collector is gone
                        }
                    }
                },
                "crash-sender");
        sender.start();
        assertThat(enough.await(60, TimeUnit.SECONDS))
                .as("150 requests acknowledged")
                .isTrue();
        c.kill9();
        sender.join(30_000);
        assertThat(acknowledged).isNotEmpty();

        c.start();
        JsonNode groups = api.json("/api/errors?service=crash&limit=1000").get("groups");
        Map<String, Long> stored = new HashMap<>();
        for (JsonNode g : groups) {
            stored.put(g.get("type").asText(), g.get("count").asLong());
        }
        acknowledged.forEach((type, count) -> assertThat(stored.get(type))
                .as("occurrences of %s after the crash (acknowledged %d)", type, count)
                .isNotNull()
                .isGreaterThanOrEqualTo(count));
        stored.forEach((type, count) -> assertThat(count)
                .as("occurrences of %s stored, never more than were sent", type)
                .isLessThanOrEqualTo(sent.getOrDefault(type, 0)));
        assertThat(c.stop()).isIn(0, 143);

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/vigil.db"));
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }
}
