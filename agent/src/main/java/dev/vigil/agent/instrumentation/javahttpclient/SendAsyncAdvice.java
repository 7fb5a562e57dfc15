package dev.vigil.agent.instrumentation.javahttpclient;

import dev.vigil.agent.bootstrap.CallDepth;
import dev.vigil.agent.bootstrap.HttpClientBridge;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HttpClientImpl.sendAsync}, which {@code send} uses too: the request lasts
 * until the returned future completes. While the call runs, the request's headers are copied on
 * this thread, which is when {@link RequestHeadersAdvice} adds traceparent.
 */
public final class SendAsyncAdvice {
    private SendAsyncAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) HttpRequest request) {
        if (CallDepth.HTTP_CLIENT.enter() > 0 || request == null) {
            return null;
        }
        URI uri = request.uri();
        Object handle = HttpClientBridge.start(
                request.method(),
                uri == null ? null : uri.toString(),
                uri == null ? null : uri.getHost(),
                uri == null ? -1 : uri.getPort());
        HttpClientBridge.sending(handle);
        return handle;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
            @Advice.Enter Object handle, @Advice.Return CompletableFuture<?> response, @Advice.Thrown Throwable error) {
        if (CallDepth.HTTP_CLIENT.exit() > 0) {
            return;
        }
        HttpClientBridge.sending(null);
        if (handle == null) {
            return;
        }
        if (error != null || response == null) {
            HttpClientBridge.end(handle, 0, error);
        } else {
            response.whenComplete(HttpClientBridge.completion(handle));
        }
    }
}
