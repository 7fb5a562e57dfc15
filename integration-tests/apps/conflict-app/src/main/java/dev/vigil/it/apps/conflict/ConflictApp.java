package dev.vigil.it.apps.conflict;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.Version;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uses its own Netty 4.1, OpenTelemetry SDK, Logback 1.4/SLF4J 2, Jackson and ByteBuddy 1.14, and
 * reports on {@code GET /check} what each of them did. The conflict test compares that report, and
 * the log lines, with and without the agent.
 *
 * <p>Usage: {@code java -jar conflict-app.jar <port>}; prints "READY <port>".
 */
public final class ConflictApp {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictApp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConflictApp() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Map<String, Object> report = new TreeMap<>();
        report.put("netty", Version.identify().get("netty-common").artifactVersion());
        report.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        report.put("slf4j.factory", LoggerFactory.getILoggerFactory().getClass().getName());
        report.put("logback.configured", ((LoggerContext) LoggerFactory.getILoggerFactory()).getName());
        report.put("bytebuddy", generatedToString());
        report.put("opentelemetry.spans", ownSpans());

        EventLoopGroup group = new NioEventLoopGroup(1);
        new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new Handler(report));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port))
                .sync();
        LOG.info("serving on {} with Netty {}", port, report.get("netty"));
        System.out.println("READY " + port);
    }

    /** A class made at run time by the app's own ByteBuddy. */
    private static String generatedToString() throws ReflectiveOperationException {
        Class<?> type = new ByteBuddy(ClassFileVersion.JAVA_V11)
                .subclass(Object.class)
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by the app's ByteBuddy"))
                .make()
                .load(ConflictApp.class.getClassLoader())
                .getLoaded();
        return type.getDeclaredConstructor().newInstance().toString();
    }

    /** Spans of the app's own OpenTelemetry SDK, exported to the app's own exporter. */
    private static int ownSpans() {
        AtomicInteger exported = new AtomicInteger();
        SpanExporter exporter = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                exported.addAndGet(spans.size());
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            Tracer tracer = provider.get("conflict-app");
            tracer.spanBuilder("one").startSpan().end();
            tracer.spanBuilder("two").startSpan().end();
        }
        return exported.get();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Object> report;

        Handler(Map<String, Object> report) {
            this.report = report;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            byte[] body;
            HttpResponseStatus status = HttpResponseStatus.OK;
            if (request.uri().equals("/check")) {
                Map<String, Object> now = new TreeMap<>(report);
                now.put("json.roundtrip", JSON.readValue(JSON.writeValueAsString(Map.of("k", 1)), Map.class));
                body = JSON.writeValueAsBytes(now);
                LOG.info("check answered");
            } else {
                status = HttpResponseStatus.NOT_FOUND;
                body = "not found".getBytes(StandardCharsets.UTF_8);
                LOG.warn("no such path {}", request.uri());
            }
            FullHttpResponse response =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
