package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OTLP connection handler on an {@link EmbeddedChannel}, with a receiver that works inline. */
class OtlpHttpHandlerTest {
    static final String TOKEN = "ingest-token-0123456789";

    @TempDir
    Path dir;

    IngestFixture f;
    OtlpReceiver receiver;

    @BeforeEach
    void open() {
        f = new IngestFixture(dir);
        receiver = receiver(2048);
        receiver.accepting(true);
    }

    private OtlpReceiver receiver(long inFlight) {
        return new OtlpReceiver(
                f.ingest,
                new Tokens(List.of(TOKEN)),
                false,
                1024,
                4096,
                inFlight,
                Duration.ofSeconds(7),
                f.registry,
                new DirectExecutor());
    }

    @AfterEach
    void close() {
        f.close();
    }

    private EmbeddedChannel channel(OtlpReceiver r) {
        return new EmbeddedChannel(new OtlpHttpHandler(r));
    }

    private static FullHttpRequest post(String path, String type, byte[] body, String token) {
        FullHttpRequest req =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
        if (type != null) {
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (token != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        HttpUtil.setContentLength(req, body.length);
        return req;
    }

    private static FullHttpResponse answer(EmbeddedChannel ch) {
        ch.runPendingTasks();
        FullHttpResponse res = ch.readOutbound();
        assertThat(res).as("a response").isNotNull();
        return res;
    }

    private static String body(FullHttpResponse res) {
        try {
            return res.content().toString(StandardCharsets.UTF_8);
        } finally {
            res.release();
        }
    }

    @Test
    void acceptsAnEmptyProtobufExportAndKeepsTheConnection() {
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(post("/v1/metrics", "application/x-protobuf", new byte[0], TOKEN));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(200);
        assertThat(res.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/x-protobuf");
        res.release();
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(post("/v1/traces", "application/x-protobuf", new byte[0], TOKEN));
        assertThat(answer(ch).status().code()).isEqualTo(200);
        ch.finishAndReleaseAll();
    }

    @Test
    void partialSuccessNamesTheRejectedPoints() throws Exception {
        String json =
                "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"s\",\"summary\":{\"dataPoints\":[{\"count\":\"1\"}]}}]}]}]}";
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(
                post("/v1/metrics", "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), TOKEN));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(200);
        ExportMetricsServiceResponse.Builder parsed = ExportMetricsServiceResponse.newBuilder();
        JsonFormat.parser().merge(body(res), parsed);
        assertThat(parsed.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
        assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("summary metrics are not supported");
        ch.finishAndReleaseAll();
    }

    @Test
    void missingTokenIs401WithAStatusBodyAndTheConnectionCloses() {
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(post("/v1/traces", "application/json", "{}".getBytes(), null));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(401);
        assertThat(body(res)).isEqualTo("{\"code\":16,\"message\":\"missing or unknown bearer token\"}");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownPathMethodAndContentTypeAreRefused() {
        EmbeddedChannel a = channel(receiver);
        a.writeInbound(post("/v1/other", "application/x-protobuf", new byte[0], TOKEN));
        assertThat(answer(a).status().code()).isEqualTo(404);
        EmbeddedChannel b = channel(receiver);
        b.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/traces"));
        assertThat(answer(b).status().code()).isEqualTo(405);
        EmbeddedChannel c = channel(receiver);
        c.writeInbound(post("/v1/traces", "text/plain", new byte[0], TOKEN));
        assertThat(answer(c).status().code()).isEqualTo(415);
        EmbeddedChannel d = channel(receiver);
        FullHttpRequest br = post("/v1/traces", "application/x-protobuf", new byte[0], TOKEN);
        br.headers().set(HttpHeaderNames.CONTENT_ENCODING, "br");
        d.writeInbound(br);
        assertThat(answer(d).status().code()).isEqualTo(415);
        for (EmbeddedChannel ch : List.of(a, b, c, d)) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void declaredOversizeIs413BeforeAnyBodyIsRead() {
        EmbeddedChannel ch = channel(receiver);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/traces");
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
        head.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN);
        HttpUtil.setContentLength(head, 1_000_000);
        ch.writeInbound(head);
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(413);
        res.release();
        // the rest of the body is drained, then the connection closes
        ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[512])));
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[512])));
        assertThat(ch.isOpen()).isFalse();
        assertThat(receiver.budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void chunkedBodyGrowingPastTheLimitIs413AndReleasesItsMemory() {
        EmbeddedChannel ch = channel(receiver);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/traces");
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
        head.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN);
        HttpUtil.setTransferEncodingChunked(head, true);
        ch.writeInbound(head);
        ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[800])));
        Object none = ch.readOutbound();
        assertThat(none).isNull();
        assertThat(receiver.budget.used()).isEqualTo(800);
        ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[800])));
        assertThat(answer(ch).status().code()).isEqualTo(413);
        assertThat(receiver.budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void exhaustedInFlightBudgetIs429WithRetryAfter() {
        OtlpReceiver tight = receiver(100);
        tight.accepting(true);
        EmbeddedChannel ch = channel(tight);
        ch.writeInbound(post("/v1/traces", "application/x-protobuf", new byte[200], TOKEN));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(429);
        assertThat(res.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("7");
        res.release();
        assertThat(tight.budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void notAcceptingIs503WithRetryAfter() {
        receiver.accepting(false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(post("/v1/logs", "application/x-protobuf", new byte[0], TOKEN));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(503);
        assertThat(res.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("7");
        res.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void gzipBombIs413() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(new byte[100_000]);
        }
        byte[] bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(1024);
        FullHttpRequest req = post("/v1/traces", "application/x-protobuf", bomb, TOKEN);
        req.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(req);
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(413);
        res.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedProtobufIs400() {
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(
                post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0x0a, (byte) 0xff, 0x01}, TOKEN));
        FullHttpResponse res = answer(ch);
        assertThat(res.status().code()).isEqualTo(400);
        res.release();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    /** Runs tasks on the calling thread, so the whole request completes inside writeInbound. */
    static final class DirectExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
