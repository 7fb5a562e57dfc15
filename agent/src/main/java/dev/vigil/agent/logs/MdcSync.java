package dev.vigil.agent.logs;

import dev.vigil.agent.log.AgentLog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Keeps {@code trace_id} and {@code span_id} of the current span in the application's MDC
 * ({@code org.slf4j.MDC}, Log4j's {@code ThreadContext}) on every thread, so the application's own
 * patterns and code can read them. It wraps the agent's context storage: whenever a context is made
 * current or a scope closes, the thread's MDC follows. The MDC classes become known when their
 * framework first logs (their advice registers them through the bridge).
 */
final class MdcSync {
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";
    private static final AgentLog LOG = AgentLog.get(MdcSync.class);

    /** put(String, String) and remove(String) of one MDC class. */
    private static final class Target {
        final MethodHandle put;
        final MethodHandle remove;

        Target(MethodHandle put, MethodHandle remove) {
            this.put = put;
            this.remove = remove;
        }
    }

    private volatile Target[] targets = new Target[0];
    /** Per thread: the span id last written, or null when the MDC holds no ids of ours. */
    private final ThreadLocal<String[]> written = ThreadLocal.withInitial(() -> new String[1]);

    /** Wraps the context storage; must run before the first context is made current, else it has no effect. */
    void installContextHook() {
        ContextStorage.addWrapper(delegate -> new Storage(delegate, this));
        if (!(ContextStorage.get() instanceof Storage)) {
            // something made a context current first: ids then reach the MDC only when the application logs
            LOG.warn("the MDC cannot follow the current span between log events: the context storage was in use"
                    + " before the agent could hook it");
        }
    }

    synchronized void register(Class<?> mdcType) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle put =
                    lookup.findStatic(mdcType, "put", MethodType.methodType(void.class, String.class, String.class));
            MethodHandle remove = lookup.findStatic(mdcType, "remove", MethodType.methodType(void.class, String.class));
            Target[] grown = new Target[targets.length + 1];
            System.arraycopy(targets, 0, grown, 0, targets.length);
            grown[targets.length] = new Target(put, remove);
            targets = grown;
            written.get()[0] = null;
            sync(Span.current().getSpanContext());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnOnce("mdc:" + mdcType.getName(), "cannot put trace ids in " + mdcType.getName(), e);
        }
    }

    /** Brings the current thread's MDC in line with the current span (cheap when it already is). */
    void syncCurrentThread() {
        if (targets.length > 0) {
            sync(Span.current().getSpanContext());
        }
    }

    private void sync(SpanContext ctx) {
        Target[] all = targets;
        if (all.length == 0) {
            return;
        }
        String[] last = written.get();
        String spanId = ctx.isValid() ? ctx.getSpanId() : null;
        if (spanId == null ? last[0] == null : spanId.equals(last[0])) {
            return;
        }
        for (Target t : all) {
            try {
                if (spanId != null) {
                    t.put.invokeExact(TRACE_ID, ctx.getTraceId());
                    t.put.invokeExact(SPAN_ID, spanId);
                } else {
                    t.remove.invokeExact(TRACE_ID);
                    t.remove.invokeExact(SPAN_ID);
                }
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                LOG.warnOnce("mdc-write", "cannot write trace ids to the application's MDC", e);
            }
        }
        last[0] = spanId;
    }

    /** The agent's context storage with the MDC following every change. */
    private static final class Storage implements ContextStorage {
        private final ContextStorage delegate;
        private final MdcSync mdc;

        Storage(ContextStorage delegate, MdcSync mdc) {
            this.delegate = delegate;
            this.mdc = mdc;
        }

        @Override
        public Scope attach(Context toAttach) {
            Scope scope = delegate.attach(toAttach);
            if (mdc.targets.length == 0) {
                return scope;
            }
            mdc.sync(Span.fromContext(toAttach).getSpanContext());
            return () -> {
                scope.close();
                mdc.sync(Span.fromContext(delegate.current() == null ? Context.root() : delegate.current())
                        .getSpanContext());
            };
        }

        @Override
        public Context current() {
            return delegate.current();
        }
    }
}
