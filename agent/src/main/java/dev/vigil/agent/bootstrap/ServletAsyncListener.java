package dev.vigil.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the server request of an async servlet when its {@code AsyncContext} completes. The servlet
 * advice registers it as a {@code javax/jakarta.servlet.AsyncListener} through a
 * {@link java.lang.reflect.Proxy} defined in the container's class loader, so the agent needs no
 * class of its own next to the Servlet API. Only the first of complete/error/timeout ends the request.
 */
public final class ServletAsyncListener implements InvocationHandler {
    private static final ClassValue<Method> GET_STATUS = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> responseType) {
            try {
                return responseType.getMethod("getStatus");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };
    private static final ClassValue<Method> GET_THROWABLE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> eventType) {
            try {
                return eventType.getMethod("getThrowable");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private final Object request;
    private final Object response;
    private final Class<?> responseType;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param request the handle from {@link HttpServerBridge#start}
     * @param response the servlet response, read for its status when the request ends
     * @param responseType the {@code HttpServletResponse} interface of the container's Servlet API
     */
    public ServletAsyncListener(Object request, Object response, Class<?> responseType) {
        this.request = request;
        this.response = response;
        this.responseType = responseType;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "onComplete":
                end(null);
                return null;
            case "onError":
                end(args == null || args.length == 0 ? null : throwableOf(args[0]));
                return null;
            case "onTimeout":
                end(new TimeoutException("async request timed out"));
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return args != null && args.length == 1 && proxy == args[0];
            case "toString":
                return "vigil async request listener";
            default:
                return null; // onStartAsync: the listener is not carried over to a new async cycle
        }
    }

    private void end(Throwable error) {
        if (ended.compareAndSet(false, true)) {
            HttpServerBridge.end(request, status(), error);
        }
    }

    private int status() {
        try {
            Method getStatus = GET_STATUS.get(responseType);
            Object status = getStatus == null ? null : getStatus.invoke(response);
            return status instanceof Integer ? (Integer) status : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    private static Throwable throwableOf(Object event) {
        if (event == null) {
            return null;
        }
        try {
            Method getThrowable = GET_THROWABLE.get(event.getClass());
            Object t = getThrowable == null ? null : getThrowable.invoke(event);
            return t instanceof Throwable ? (Throwable) t : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
