package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.trace.SpanAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** A method annotated with {@code @WithSpan}: its span name, kind and the parameters that become attributes. */
final class SpanHook {
    private final Tracer tracer;
    private final String name;
    private final SpanKind kind;
    private final int[] attributeArguments;
    private final String[] attributeNames;

    SpanHook(Tracer tracer, String name, SpanKind kind, int[] attributeArguments, String[] attributeNames) {
        this.tracer = tracer;
        this.name = name;
        this.kind = kind;
        this.attributeArguments = attributeArguments.clone();
        this.attributeNames = attributeNames.clone();
    }

    String name() {
        return name;
    }

    Started start(Object[] arguments) {
        SpanBuilder b = tracer.spanBuilder(name).setSpanKind(kind);
        for (int i = 0; i < attributeArguments.length; i++) {
            int a = attributeArguments[i];
            if (arguments != null && a < arguments.length && arguments[a] != null) {
                setAttribute(b, attributeNames[i], arguments[a]);
            }
        }
        Span span = b.startSpan();
        return new Started(span, span.makeCurrent());
    }

    private static void setAttribute(SpanBuilder b, String key, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            b.setAttribute(AttributeKey.longKey(key), ((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            b.setAttribute(AttributeKey.doubleKey(key), ((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            b.setAttribute(AttributeKey.booleanKey(key), (Boolean) v);
        } else {
            String s;
            try {
                s = String.valueOf(v);
            } catch (RuntimeException e) {
                return; // a toString() that throws: leave the attribute out
            }
            b.setAttribute(key, s);
        }
    }

    /** A started span and its scope, ended by the exit advice. */
    static final class Started {
        private final Span span;
        private final Scope scope;

        Started(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        void end(Throwable thrown) {
            try {
                if (thrown != null) {
                    span.recordException(thrown);
                    span.setAttribute(
                            SpanAttributes.ERROR_TYPE, thrown.getClass().getName());
                    span.setStatus(StatusCode.ERROR);
                }
            } finally {
                scope.close();
                span.end();
            }
        }
    }
}
