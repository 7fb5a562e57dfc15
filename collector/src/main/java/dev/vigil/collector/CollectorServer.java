package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.errors.ErrorGroupsApi;
import dev.vigil.collector.http.Access;
import dev.vigil.collector.http.ApiResponse;
import dev.vigil.collector.http.ApiServerInitializer;
import dev.vigil.collector.ingest.OtlpReceiver;
import dev.vigil.collector.ingest.OtlpServerInitializer;
import dev.vigil.collector.ingest.TelemetryIngest;
import dev.vigil.collector.ingest.Tokens;
import dev.vigil.collector.instances.InstancesApi;
import dev.vigil.collector.store.DataDirBackup;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: the state ({@link Collector}), the OTLP port and the API port. Start-up
 * order makes {@code /readyz} honest: the API port opens first (so probes get answers), then the
 * state, then the OTLP port; ready only when all are up. Shutdown is the reverse, and waits for
 * requests in progress so nothing acknowledged is lost.
 */
public final class CollectorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CollectorServer.class);

    private final CollectorConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final FileChannel lockChannel;
    private final FileLock dataDirLock;
    private ApiServerInitializer api;
    private Channel apiChannel;
    private Channel otlpChannel;
    private Collector collector;
    private OtlpReceiver receiver;
    private volatile boolean ready;

    private CollectorServer(CollectorConfig config, FileChannel lockChannel, FileLock dataDirLock) {
        this.config = config;
        this.lockChannel = lockChannel;
        this.dataDirLock = dataDirLock;
    }

    /**
     * Starts everything; on failure stops what was started and throws.
     *
     * @throws IllegalStateException if another collector uses the data directory
     */
    public static CollectorServer start(CollectorConfig config, List<CollectorFeature> features) throws Exception {
        Path dir = config.dataDir();
        Files.createDirectories(dir);
        FileChannel ch =
                FileChannel.open(dir.resolve(DataDirBackup.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IllegalStateException("another collector is using the data directory " + dir.toAbsolutePath());
        }
        CollectorServer s = new CollectorServer(config, ch, lock);
        try {
            s.startAll(features);
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void startAll(List<CollectorFeature> features) throws Exception {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Clock clock = Clock.systemUTC();

        // the routes exist before the state, so /healthz and /readyz answer during start-up
        dev.vigil.collector.http.RouteRegistry routes = new dev.vigil.collector.http.RouteRegistry();
        routes.register("GET", "/healthz", Access.PUBLIC, r -> ApiResponse.json(200, Map.of("status", "ok")));
        routes.register(
                "GET",
                "/readyz",
                Access.PUBLIC,
                r -> ready
                        ? ApiResponse.json(200, Map.of("status", "ready"))
                        : ApiResponse.json(503, Map.of("status", "not ready")));
        routes.register(
                "GET",
                "/metrics",
                Access.PUBLIC,
                r -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        CollectorConfig.Http h = config.http();
        api = new ApiServerInitializer(routes, h.apiTokens(), h.adminTokens(), h.allowUnauthenticated(), ssl(h.tls()));
        apiChannel = bind(h.host(), h.port(), api, "API");

        collector = Collector.start(config, features, registry, clock, routes);
        CollectorContext ctx = collector.context();
        new ErrorGroupsApi(ctx.errorGroups()).register(routes);
        new InstancesApi(ctx.instances(), clock).register(routes);
        SelfMetricsFeed feed = new SelfMetricsFeed(
                registry, ctx.metricWindows(), clock, UUID.randomUUID().toString());
        ctx.scheduler().scheduleWithFixedDelay(feed, 15, 15, TimeUnit.SECONDS);

        TelemetryIngest ingest = new TelemetryIngest(
                ctx.errorGroups(), ctx.metricWindows(), ctx.instances(), ctx.ingestListeners(), registry, clock);
        CollectorConfig.Otlp o = config.otlp();
        receiver = new OtlpReceiver(
                ingest,
                new Tokens(o.tokens()),
                o.allowUnauthenticated(),
                o.maxRequestBytes(),
                o.maxDecompressedBytes(),
                o.maxInFlightBytes(),
                o.retryAfter(),
                registry);
        otlpChannel = bind(o.host(), o.port(), new OtlpServerInitializer(receiver, ssl(o.tls())), "OTLP");
        receiver.accepting(true);
        ready = true;
        log.info(
                "vigil-collector ready: OTLP on {}:{}{}, API on {}:{}{}, data in {}",
                o.host(),
                otlpPort(),
                o.tls().enabled() ? " (TLS)" : "",
                h.host(),
                apiPort(),
                h.tls().enabled() ? " (TLS)" : "",
                config.dataDir().toAbsolutePath());
    }

    private Channel bind(String host, int port, io.netty.channel.ChannelHandler initializer, String what)
            throws Exception {
        try {
            return new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(initializer)
                    .bind(new InetSocketAddress(host, port))
                    .sync()
                    .channel();
        } catch (Exception e) {
            throw new IOException("cannot listen for " + what + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static SslContext ssl(CollectorConfig.Tls tls) throws SSLException {
        if (!tls.enabled()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new SSLException(
                    "cannot use the TLS certificate " + tls.cert() + " and key " + tls.key() + ": " + e.getMessage(),
                    e);
        }
    }

    public int otlpPort() {
        return ((InetSocketAddress) otlpChannel.localAddress()).getPort();
    }

    public int apiPort() {
        return ((InetSocketAddress) apiChannel.localAddress()).getPort();
    }

    public Collector collector() {
        return collector;
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Stops taking data, answers the requests in progress (their error groups committed), stops
     * the features and the state, then the API port.
     */
    @Override
    public void close() {
        ready = false;
        if (receiver != null) {
            receiver.accepting(false);
        }
        if (otlpChannel != null) {
            otlpChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (receiver != null) {
            receiver.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (apiChannel != null) {
            apiChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (api != null) {
            api.close();
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            dataDirLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("releasing the data directory lock failed: {}", e.getMessage());
        }
        registry.close();
        log.info("vigil-collector stopped");
    }
}
