package dev.vigil.collector.ingest;

import dev.vigil.collector.ingest.OtlpCodec.Format;
import dev.vigil.collector.ingest.OtlpReceiver.Answer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One OTLP/HTTP connection. Checks a request from its head (path, method, token, content type,
 * encoding, declared length) before reading the body, so unauthenticated or oversized requests
 * never occupy memory; gathers the body within the size limit and the shared in-flight budget;
 * hands it to the {@link OtlpReceiver} workers and answers when they are done. One request at a
 * time per connection: reading pauses until the answer is written.
 *
 * <p>A rejected request is answered at once and the connection closed, because its body may
 * still be on the way.
 */
final class OtlpHttpHandler extends SimpleChannelInboundHandler<HttpObject> {
    /** A request body must arrive within this time (a slow client cannot hold memory forever). */
    static final long BODY_TIMEOUT_SECONDS = 60;
    /**
     * After an early rejection the rest of the body is read and dropped (so the client gets to read
     * the answer instead of a reset connection), but no more than this; then the connection closes.
     */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private final OtlpReceiver receiver;
    private OtlpSignal signal;
    private Format format;
    private boolean gzip;
    private boolean keepAlive;
    private CompositeByteBuf body;
    private long reserved;
    private boolean draining;
    private long drained;
    private ScheduledFuture<?> bodyTimeout;

    OtlpHttpHandler(OtlpReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest req && !draining) {
            head(ctx, req);
        }
        if (msg instanceof HttpContent content) {
            if (draining) {
                drained += content.content().readableBytes();
                if (content instanceof LastHttpContent || drained > DRAIN_LIMIT) {
                    ctx.close();
                }
            } else if (body != null) {
                content(ctx, content);
            }
        }
    }

    private void head(ChannelHandlerContext ctx, HttpRequest req) {
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            400, "malformed", "bad HTTP request: " + dr.cause().getMessage(), null, false));
            return;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        signal = OtlpSignal.ofPath(q >= 0 ? uri.substring(0, q) : uri);
        format = Format.of(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
        keepAlive = HttpUtil.isKeepAlive(req);
        if (signal == null) {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            404,
                            "not_found",
                            "unknown path " + uri + "; use /v1/traces, /v1/metrics or /v1/logs",
                            format,
                            false));
            return;
        }
        if (!HttpMethod.POST.equals(req.method())) {
            reject(ctx, OtlpReceiver.error(405, "method", "use POST", format, false));
            return;
        }
        if (!receiver.allowUnauthenticated
                && !receiver.tokens.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            reject(ctx, OtlpReceiver.error(401, "unauthorized", "missing or unknown bearer token", format, false));
            return;
        }
        if (format == null) {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            415,
                            "unsupported_media_type",
                            "Content-Type must be application/x-protobuf or application/json",
                            null,
                            false));
            return;
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            gzip = false;
        } else if (encoding.equalsIgnoreCase("gzip")) {
            gzip = true;
        } else {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            415,
                            "unsupported_media_type",
                            "Content-Encoding " + encoding + " is not supported; use gzip",
                            format,
                            false));
            return;
        }
        long declared = HttpUtil.getContentLength(req, -1L);
        if (declared > receiver.maxRequestBytes) {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            413,
                            "too_large",
                            "body of " + declared + " bytes exceeds " + receiver.maxRequestBytes
                                    + " (otlp.max_request_size)",
                            format,
                            false));
            return;
        }
        if (!receiver.isAccepting()) {
            reject(
                    ctx,
                    OtlpReceiver.error(
                            503, "unavailable", "the collector is starting or stopping; retry later", format, true));
            return;
        }
        if (declared > 0 && !reserve(declared)) {
            reject(ctx, OtlpReceiver.error(429, "overloaded", "too much data in flight; retry later", format, true));
            return;
        }
        body = ctx.alloc().compositeBuffer(1024);
        bodyTimeout = ctx.executor()
                .schedule(
                        () -> {
                            if (body != null) {
                                reject(
                                        ctx,
                                        OtlpReceiver.error(
                                                408,
                                                "timeout",
                                                "the request body did not arrive within " + BODY_TIMEOUT_SECONDS + " s",
                                                format,
                                                false));
                            }
                        },
                        BODY_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf chunk = content.content();
        int n = chunk.readableBytes();
        if (n > 0) {
            long total = (long) body.readableBytes() + n;
            if (total > receiver.maxRequestBytes) {
                reject(
                        ctx,
                        OtlpReceiver.error(
                                413,
                                "too_large",
                                "body exceeds " + receiver.maxRequestBytes + " bytes (otlp.max_request_size)",
                                format,
                                false));
                return;
            }
            if (total > reserved && !reserve(total - reserved)) {
                reject(
                        ctx,
                        OtlpReceiver.error(429, "overloaded", "too much data in flight; retry later", format, true));
                return;
            }
            body.addComponent(true, chunk.retain());
        }
        if (content instanceof LastHttpContent) {
            if (content.decoderResult().isFailure()) {
                reject(
                        ctx,
                        OtlpReceiver.error(
                                400,
                                "malformed",
                                "bad HTTP body: "
                                        + content.decoderResult().cause().getMessage(),
                                format,
                                false));
                return;
            }
            cancelTimeout();
            byte[] bytes = new byte[body.readableBytes()];
            body.readBytes(bytes);
            body.release();
            body = null;
            if (bytes.length == 0) {
                // an empty body is a valid empty export request in protobuf, but not in JSON
                if (format == Format.JSON) {
                    answer(ctx, OtlpReceiver.error(400, "malformed", "empty OTLP/JSON body", format, false));
                    return;
                }
            }
            ctx.channel().config().setAutoRead(false);
            OtlpSignal s = signal;
            receiver.process(s, format, gzip, bytes, a -> ctx.executor().execute(() -> answer(ctx, a)));
        }
    }

    private boolean reserve(long n) {
        if (receiver.budget.tryReserve(n)) {
            reserved += n;
            return true;
        }
        return false;
    }

    private void answer(ChannelHandlerContext ctx, Answer a) {
        receiver.countRequest(signal, a.status(), a.reason());
        releaseReservation();
        FullHttpResponse res = response(a);
        if (keepAlive && a.status() < 500) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res).addListener((ChannelFutureListener)
                    f -> ctx.channel().config().setAutoRead(true));
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers an early rejection, then drops the rest of the body and closes the connection (the
     * body is not worth reading, but a client that is still sending must be able to read the answer).
     */
    private void reject(ChannelHandlerContext ctx, Answer a) {
        draining = true;
        drained = 0;
        cancelTimeout();
        if (body != null) {
            body.release();
            body = null;
        }
        receiver.countRequest(signal, a.status(), a.reason());
        releaseReservation();
        FullHttpResponse res = response(a);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res);
    }

    private FullHttpResponse response(Answer a) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()), Unpooled.wrappedBuffer(a.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, a.format().contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
        if (a.retryAfter()) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(receiver.retryAfterSeconds));
        }
        return res;
    }

    private void releaseReservation() {
        if (reserved > 0) {
            receiver.budget.release(reserved);
            reserved = 0;
        }
    }

    private void cancelTimeout() {
        if (bodyTimeout != null) {
            bodyTimeout.cancel(false);
            bodyTimeout = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // an idle keep-alive connection, or a client that stopped sending
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        if (body != null) {
            body.release();
            body = null;
        }
        // a reservation for a request in the workers is released when its answer comes back
        if (ctx.channel().config().isAutoRead()) {
            releaseReservation();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // connection resets and TLS failures: nothing to answer, nothing was accepted
        ctx.close();
    }
}
