package dev.vigil.agent.bootstrap;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Carries the current trace context to work handed to other threads (thread pools, fork/join,
 * CompletableFuture, virtual threads) and reports tasks that fail. The advice replaces the task
 * with a wrapper at submission; the wrapper makes the captured context current while the task
 * runs. Nothing is allocated when there is no context to carry.
 */
public final class ExecutorBridge {
    /** Implemented by the agent core. */
    public interface Handler {
        /** The current context, or null when there is nothing worth carrying. */
        Object capture();

        /** Makes the context current; returns what {@link #detach} needs to restore the previous one. */
        Object attach(Object context);

        void detach(Object scope);

        /** A task threw; called inside the task's context, before the throwable goes on. */
        void failed(Throwable error);
    }

    private static volatile Handler handler;

    private ExecutorBridge() {}

    public static void install(Handler h) {
        handler = h;
    }

    /** The task, wrapped when there is a context to carry. */
    public static Runnable wrap(Runnable task) {
        Handler h = handler;
        if (h == null || task == null || task instanceof ContextTask || isInternal(task)) {
            return task;
        }
        Object context = h.capture();
        return context == null ? task : new ContextRunnable(task, context);
    }

    /** The task, wrapped even without a context so that its failure is reported (scheduled jobs). */
    public static Runnable wrapAlways(Runnable task) {
        Handler h = handler;
        if (h == null || task == null || task instanceof ContextTask || isInternal(task)) {
            return task;
        }
        return new ContextRunnable(task, h.capture());
    }

    public static <V> Callable<V> wrap(Callable<V> task) {
        Handler h = handler;
        if (h == null || task == null || task instanceof ContextTask) {
            return task;
        }
        Object context = h.capture();
        return context == null ? task : new ContextCallable<>(task, context);
    }

    public static <V> Callable<V> wrapAlways(Callable<V> task) {
        Handler h = handler;
        if (h == null || task == null || task instanceof ContextTask || isInternal(task)) {
            return task;
        }
        return new ContextCallable<>(task, h.capture());
    }

    public static <T> Supplier<T> wrap(Supplier<T> task) {
        Handler h = handler;
        if (h == null || task == null || task instanceof ContextTask) {
            return task;
        }
        Object context = h.capture();
        return context == null ? task : new ContextSupplier<>(task, context);
    }

    /**
     * Hand-offs that are not the application's: the agent's own tasks (their failures are the
     * agent's, not the application's), and a virtual thread being re-scheduled on its carrier each
     * time it unparks, from whatever thread unparks it (it carries its own context already).
     */
    private static boolean isInternal(Object task) {
        Class<?> type = task.getClass();
        ClassLoader loader = type.getClassLoader();
        if (loader == null) {
            return type.getName().startsWith("java.lang.VirtualThread");
        }
        return loader.getClass().getName().equals(AGENT_CLASS_LOADER);
    }

    private static final String AGENT_CLASS_LOADER = "dev.vigil.agent.launcher.AgentClassLoader";

    static Object attach(Object context) {
        Handler h = handler;
        return h == null || context == null ? null : h.attach(context);
    }

    static void detach(Object scope) {
        Handler h = handler;
        if (h != null && scope != null) {
            h.detach(scope);
        }
    }

    static void failed(Throwable error) {
        Handler h = handler;
        if (h != null) {
            try {
                h.failed(error);
            } catch (Throwable ignored) {
                // reporting must never replace the task's own failure
            }
        }
    }

    /** Marks the agent's wrappers, so that a task is never wrapped twice. */
    interface ContextTask {}

    static final class ContextRunnable implements Runnable, ContextTask {
        private final Runnable task;
        private final Object context;

        ContextRunnable(Runnable task, Object context) {
            this.task = task;
            this.context = context;
        }

        @Override
        public void run() {
            Object scope = attach(context);
            try {
                task.run();
            } catch (Throwable t) {
                failed(t);
                throw t;
            } finally {
                detach(scope);
            }
        }

        @Override
        public String toString() {
            return task.toString(); // thread dumps and rejection messages name the application's task
        }
    }

    static final class ContextCallable<V> implements Callable<V>, ContextTask {
        private final Callable<V> task;
        private final Object context;

        ContextCallable(Callable<V> task, Object context) {
            this.task = task;
            this.context = context;
        }

        @Override
        public V call() throws Exception {
            Object scope = attach(context);
            try {
                return task.call();
            } catch (Throwable t) {
                failed(t);
                throw t;
            } finally {
                detach(scope);
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    static final class ContextSupplier<T> implements Supplier<T>, ContextTask {
        private final Supplier<T> task;
        private final Object context;

        ContextSupplier(Supplier<T> task, Object context) {
            this.task = task;
            this.context = context;
        }

        @Override
        public T get() {
            Object scope = attach(context);
            try {
                return task.get();
            } catch (Throwable t) {
                failed(t);
                throw t;
            } finally {
                detach(scope);
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }
}
