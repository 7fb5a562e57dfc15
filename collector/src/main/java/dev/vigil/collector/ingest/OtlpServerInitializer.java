package dev.vigil.collector.ingest;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

/** The OTLP port's pipeline: [TLS] → HTTP/1.1 codec → idle timeout → {@link OtlpHttpHandler}. */
public final class OtlpServerInitializer extends ChannelInitializer<SocketChannel> {
    /** Connections with no traffic for this long are closed. */
    static final int IDLE_SECONDS = 120;

    private final OtlpReceiver receiver;
    private final SslContext ssl;

    /** @param ssl null for plain HTTP */
    public OtlpServerInitializer(OtlpReceiver receiver, SslContext ssl) {
        this.receiver = receiver;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
        }
        // 8 KiB request line, 16 KiB of headers, body chunks of at most 64 KiB
        p.addLast(new HttpServerCodec(8192, 16384, 65536));
        p.addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0));
        p.addLast(new OtlpHttpHandler(receiver));
    }
}
