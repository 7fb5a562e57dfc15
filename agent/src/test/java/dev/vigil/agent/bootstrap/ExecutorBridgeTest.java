package dev.vigil.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorBridgeTest {
    /** A context is a string; "current" is a thread-local stack, as the real context storage is. */
    private static final class FakeHandler implements ExecutorBridge.Handler {
        final ThreadLocal<String> current = new ThreadLocal<>();
        final List<String> events = new ArrayList<>();

        @Override
        public Object capture() {
            return current.get();
        }

        @Override
        public Object attach(Object context) {
            String previous = current.get();
            current.set((String) context);
            events.add("attach " + context);
            return previous == null ? "" : previous;
        }

        @Override
        public void detach(Object scope) {
            current.set("".equals(scope) ? null : (String) scope);
            events.add("detach");
        }

        @Override
        public void failed(Throwable error) {
            events.add("failed " + error.getMessage() + " in " + current.get());
        }
    }

    private final FakeHandler handler = new FakeHandler();

    @AfterEach
    void uninstall() {
        ExecutorBridge.install(null);
    }

    @Test
    void withoutAContextTheTaskIsNotWrapped() {
        ExecutorBridge.install(handler);
        Runnable task = () -> {};
        Callable<String> callable = () -> "x";
        assertThat(ExecutorBridge.wrap(task)).isSameAs(task);
        assertThat(ExecutorBridge.wrap(callable)).isSameAs(callable);
    }

    @Test
    void beforeTheAgentIsReadyNothingIsWrapped() {
        handler.current.set("trace-1");
        Runnable task = () -> {};
        assertThat(ExecutorBridge.wrap(task)).isSameAs(task);
        assertThat(ExecutorBridge.wrapAlways(task)).isSameAs(task);
    }

    @Test
    void wrappedTaskRunsInTheContextCapturedAtSubmissionAndRestoresTheRunnersOwn() throws Exception {
        ExecutorBridge.install(handler);
        handler.current.set("trace-1");
        List<String> seen = new ArrayList<>();
        Runnable plainTask = () -> seen.add(handler.current.get());
        Callable<String> plainCallable = () -> handler.current.get();
        Supplier<String> plainSupplier = () -> handler.current.get();
        Runnable task = ExecutorBridge.wrap(plainTask);
        Callable<String> callable = ExecutorBridge.wrap(plainCallable);
        Supplier<String> supplier = ExecutorBridge.wrap(plainSupplier);

        handler.current.set("runner's own");
        task.run();
        assertThat(seen).containsExactly("trace-1");
        assertThat(callable.call()).isEqualTo("trace-1");
        assertThat(supplier.get()).isEqualTo("trace-1");
        assertThat(handler.current.get()).isEqualTo("runner's own");
    }

    @Test
    void aTaskIsNeverWrappedTwice() {
        ExecutorBridge.install(handler);
        handler.current.set("trace-1");
        Runnable plain = () -> {};
        Runnable once = ExecutorBridge.wrap(plain);
        assertThat(ExecutorBridge.wrap(once)).isSameAs(once);
        assertThat(ExecutorBridge.wrapAlways(once)).isSameAs(once);
    }

    @Test
    void failureIsReportedInTheTasksContextAndStillThrown() {
        ExecutorBridge.install(handler);
        handler.current.set("trace-1");
        Runnable failing = () -> {
            throw new IllegalStateException("boom");
        };
        Runnable task = ExecutorBridge.wrap(failing);
        handler.current.remove();
        assertThatThrownBy(task::run).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(handler.events).containsExactly("attach trace-1", "failed boom in trace-1", "detach");
        assertThat(handler.current.get()).isNull();
    }

    @Test
    void scheduledJobIsWrappedWithoutAContextSoItsFailureIsReported() {
        ExecutorBridge.install(handler);
        Callable<String> job = ExecutorBridge.wrapAlways((Callable<String>) () -> {
            throw new java.io.IOException("disk full");
        });
        assertThatThrownBy(job::call).isInstanceOf(java.io.IOException.class);
        assertThat(handler.events).containsExactly("failed disk full in null");
    }

    @Test
    void wrapperNamesTheApplicationsTask() {
        ExecutorBridge.install(handler);
        handler.current.set("trace-1");
        Runnable task = new Runnable() {
            @Override
            public void run() {}

            @Override
            public String toString() {
                return "nightly-report";
            }
        };
        assertThat(ExecutorBridge.wrap(task)).hasToString("nightly-report");
    }
}
