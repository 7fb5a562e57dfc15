package dev.vigil.agent.context;

import dev.vigil.agent.bootstrap.ExecutorBridge;
import dev.vigil.agent.errors.ErrorComponent;
import dev.vigil.agent.errors.ErrorRecorder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The agent side of {@link ExecutorBridge}: captures the OpenTelemetry context at submission,
 * makes it current in the task, and reports a task's failure as {@link ErrorComponent#EXECUTOR}
 * on the span that was current in it.
 */
public final class ContextPropagation implements ExecutorBridge.Handler {
    private final ErrorRecorder errors;

    public ContextPropagation(ErrorRecorder errors) {
        this.errors = errors;
    }

    @Override
    public Object capture() {
        Context current = Context.current();
        return current == Context.root() ? null : current;
    }

    @Override
    public Object attach(Object context) {
        return ((Context) context).makeCurrent();
    }

    @Override
    public void detach(Object scope) {
        ((Scope) scope).close();
    }

    @Override
    public void failed(Throwable error) {
        errors.record(Span.current(), error, ErrorComponent.EXECUTOR);
    }
}
