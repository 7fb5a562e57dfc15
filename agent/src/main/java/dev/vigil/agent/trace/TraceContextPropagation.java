package dev.vigil.agent.trace;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** W3C Trace Context in and out, over the two header values the bridges pass around. */
public final class TraceContextPropagation {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private TraceContextPropagation() {}

    /** The remote parent described by {@code traceparent}/{@code tracestate}, or the root context. */
    public static Context extract(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), new String[] {traceparent, tracestate}, GETTER);
    }

    /** The headers to send for {@code context}: {traceparent, tracestate}; entries are null when absent. */
    public static String[] inject(Context context) {
        String[] out = new String[2];
        W3C.inject(context, out, SETTER);
        return out;
    }

    private static final TextMapGetter<String[]> GETTER = new TextMapGetter<String[]>() {
        @Override
        public String get(String[] carrier, String key) {
            if (carrier == null) {
                return null;
            }
            if ("traceparent".equals(key)) {
                return carrier[0];
            }
            return "tracestate".equals(key) ? carrier[1] : null;
        }
    };

    private static final TextMapSetter<String[]> SETTER = (carrier, key, value) -> {
        if (carrier == null) {
            return;
        }
        if ("traceparent".equals(key)) {
            carrier[0] = value;
        } else if ("tracestate".equals(key)) {
            carrier[1] = value;
        }
    };
}
