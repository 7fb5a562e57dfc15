package dev.vigil.collector.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The API port's pipeline: [TLS] → HTTP/1.1 → 1 MiB aggregation → idle timeout → routes. */
public final class ApiServerInitializer extends ChannelInitializer<SocketChannel> {
    static final int MAX_BODY = 1024 * 1024;

    private final SslContext ssl;
    private final ApiHttpHandler handler;
    private final ExecutorService workers;

    /** @param ssl null for plain HTTP */
    public ApiServerInitializer(
            RouteRegistry routes,
            List<String> apiTokens,
            List<String> adminTokens,
            boolean allowUnauthenticated,
            SslContext ssl) {
        this.ssl = ssl;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "vigil-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.handler = new ApiHttpHandler(routes, new ApiAuth(apiTokens, adminTokens, allowUnauthenticated), workers);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
        }
        p.addLast(new HttpServerCodec(8192, 16384, 65536));
        p.addLast(new HttpObjectAggregator(MAX_BODY));
        p.addLast(new IdleStateHandler(120, 0, 0));
        p.addLast(handler);
    }

    /** Stops the API workers. */
    public void close() {
        workers.shutdownNow();
    }
}
