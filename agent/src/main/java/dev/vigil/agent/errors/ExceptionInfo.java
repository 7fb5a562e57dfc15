package dev.vigil.agent.errors;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;

/**
 * One exception of a cause chain, reduced to what grouping needs: its type, its message and its
 * frames as {@code class.method} (no line numbers). Built from a {@link Throwable} or parsed from
 * stack-trace text, so both give the same input to {@link ErrorFingerprint}.
 */
public final class ExceptionInfo {
    private final String type;
    private final String message;
    private final List<String> frames;

    public ExceptionInfo(String type, String message, List<String> frames) {
        this.type = requireNonNull(type, "type");
        this.message = message;
        this.frames = Collections.unmodifiableList(requireNonNull(frames, "frames"));
    }

    /** Fully qualified exception class name. */
    public String type() {
        return type;
    }

    /** The message, or null. */
    public String message() {
        return message;
    }

    /** Frames from the throw point outwards, each {@code fully.qualified.Class.method}. */
    public List<String> frames() {
        return frames;
    }

    @Override
    public String toString() {
        return type + (message == null ? "" : ": " + message) + " " + frames;
    }
}
