package dev.vigil.collector.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API port: finds the route, checks the token its {@link Access} needs, and runs the handler
 * on the API workers (handlers read the database; event loops must not wait for that).
 */
@ChannelHandler.Sharable
final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHttpHandler.class);

    private final RouteRegistry routes;
    private final ApiAuth auth;
    private final ExecutorService workers;

    ApiHttpHandler(RouteRegistry routes, ApiAuth auth, ExecutorService workers) {
        this.routes = routes;
        this.auth = auth;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (req.decoderResult().isFailure()) {
            write(
                    ctx,
                    ApiResponse.error(
                            400, "bad request: " + req.decoderResult().cause().getMessage()),
                    false);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
        String method = req.method().name().toUpperCase(Locale.ROOT);
        RouteRegistry.Match match = routes.match(method, qs.rawPath());
        if (match == null) {
            write(ctx, ApiResponse.error(404, "no such resource: " + qs.rawPath()), keepAlive);
            return;
        }
        if (match.methodNotAllowed()) {
            write(ctx, ApiResponse.error(405, "method " + method + " not allowed on " + qs.rawPath()), keepAlive);
            return;
        }
        RouteRegistry.Route route = match.route();
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (!auth.allows(route.access, authorization)) {
            boolean presented = authorization != null;
            ApiResponse denied = presented && auth.allows(Access.READ, authorization)
                    ? ApiResponse.error(403, "this call needs an admin token (http.admin_tokens)")
                    : ApiResponse.error(401, "missing or unknown bearer token")
                            .withHeader("WWW-Authenticate", "Bearer");
            write(ctx, denied, keepAlive);
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        match.params().forEach((k, v) -> params.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        ApiRequest request = new ApiRequest(
                method, qs.path(), Map.copyOf(params), qs.parameters(), headers, ByteBufUtil.getBytes(req.content()));
        try {
            workers.execute(() -> {
                ApiResponse res;
                try {
                    res = route.handler.handle(request);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    log.error("{} {} failed", method, qs.path(), e);
                    res = ApiResponse.error(500, "internal error: " + e);
                }
                ApiResponse answer = res;
                ctx.executor().execute(() -> write(ctx, answer, keepAlive));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, ApiResponse.error(503, "the API is busy; retry later").withHeader("Retry-After", "1"), false);
        }
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
