package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.bootstrap.MethodHookBridge;
import java.util.Arrays;
import java.util.Map;

/**
 * The bridge's implementation: hook number → what to record. Instrumented methods carry their hook
 * number as a constant, so a call costs one array read. The array is replaced as a whole when hooks
 * change (copy on write), so calls never lock.
 *
 * <p>Only the outermost call of a hook on a thread is recorded: a recursive call, or an override that
 * calls {@code super}, is one business event, as it would be through a proxy.
 */
final class HookTable implements MethodHookBridge.Handler {
    private final Object lock = new Object();
    private volatile Object[] entries = new Object[32];
    private int next;
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[32]);

    /** A new hook number; numbers are never reused, so a stale instrumented method can never record into a new hook. */
    int allocate() {
        synchronized (lock) {
            return next++;
        }
    }

    /** Removes and adds entries in one step. */
    void update(Iterable<Integer> remove, Map<Integer, Object> add) {
        synchronized (lock) {
            int size = entries.length;
            for (int id : add.keySet()) {
                while (id >= size) {
                    size *= 2;
                }
            }
            Object[] copy = Arrays.copyOf(entries, size);
            for (int id : remove) {
                copy[id] = null;
            }
            for (Map.Entry<Integer, Object> e : add.entrySet()) {
                copy[e.getKey()] = e.getValue();
            }
            entries = copy;
        }
    }

    Object get(int id) {
        Object[] e = entries;
        return id >= 0 && id < e.length ? e[id] : null;
    }

    /** Returns this thread's depth counters, the handle that {@link #exit} decrements. */
    @Override
    public Object enter(int hook) {
        if (!(get(hook) instanceof ActiveHook)) {
            return null;
        }
        int[] d = depth.get();
        if (hook >= d.length) {
            d = Arrays.copyOf(d, Math.max(hook + 1, d.length * 2));
            depth.set(d);
        }
        d[hook]++;
        return d;
    }

    /** Records when the outermost call of the hook on this thread ends. */
    @Override
    public void exit(int hook, Object state, long startNanos, Object[] arguments, Object returned, Throwable thrown) {
        int[] d = (int[]) state;
        if (hook >= d.length || --d[hook] > 0) {
            return; // a nested call (recursion, or super from an override): the outermost call records
        }
        Object h = get(hook);
        if (h instanceof ActiveHook) {
            ((ActiveHook) h).record(startNanos, arguments, returned, thrown);
        }
    }

    @Override
    public Object startSpan(int hook, Object[] arguments) {
        Object h = get(hook);
        return h instanceof SpanHook ? ((SpanHook) h).start(arguments) : null;
    }

    @Override
    public void endSpan(Object span, Throwable thrown) {
        if (span instanceof SpanHook.Started) {
            ((SpanHook.Started) span).end(thrown);
        }
    }
}
