package dev.vigil.agent.bootstrap;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Ends a JDK HttpClient request when its response future completes. The bridge lives in the boot
 * class loader, which cannot see {@code java.net.http}; the status is read through the public
 * {@code HttpResponse.statusCode()} method, looked up once.
 */
final class HttpResponseCompletion implements BiConsumer<Object, Throwable> {
    private static volatile Method statusCode;

    private final Object request;

    HttpResponseCompletion(Object request) {
        this.request = request;
    }

    @Override
    public void accept(Object response, Throwable error) {
        HttpClientBridge.end(request, response == null ? 0 : statusOf(response), unwrap(error));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int statusOf(Object response) {
        try {
            Method m = statusCode;
            if (m == null) {
                m = Class.forName("java.net.http.HttpResponse", false, ClassLoader.getPlatformClassLoader())
                        .getMethod("statusCode");
                statusCode = m;
            }
            return (Integer) m.invoke(response);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }
}
