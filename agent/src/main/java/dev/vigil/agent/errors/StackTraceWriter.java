package dev.vigil.agent.errors;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Prints a throwable as {@code Throwable.printStackTrace()} does (so {@link StackTraceText} and the
 * collector read it back), but safely: accessors that throw, cause cycles and huge traces cannot
 * break it or make it unbounded. Frames a cause shares with its enclosing trace are folded into
 * {@code ... N more}; beyond {@code maxFrames} per exception the rest is summarised in one line.
 */
public final class StackTraceWriter {
    /** Frames printed per exception; equal to what the fingerprint reads, so text and throwable agree. */
    public static final int DEFAULT_MAX_FRAMES = ErrorFingerprint.RAW_FRAMES;

    private StackTraceWriter() {}

    public static String print(Throwable error) {
        return print(error, DEFAULT_MAX_FRAMES, UnaryOperator.identity());
    }

    /**
     * Prints with each exception's message passed through {@code messageFilter} first (redaction):
     * messages are the only part of a trace that carries data, so frames need not be scanned.
     */
    public static String print(Throwable error, UnaryOperator<String> messageFilter) {
        return print(error, DEFAULT_MAX_FRAMES, messageFilter);
    }

    public static String print(Throwable error, int maxFrames, UnaryOperator<String> messageFilter) {
        StringBuilder out = new StringBuilder(1024);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        StackTraceElement[] enclosing = new StackTraceElement[0];
        Throwable t = error;
        int depth = 0;
        while (t != null) {
            if (!seen.add(t)) {
                out.append("Caused by: [CIRCULAR REFERENCE: ")
                        .append(header(t, messageFilter))
                        .append("]\n");
                break;
            }
            if (depth >= ErrorFingerprint.MAX_CHAIN) {
                out.append("Caused by: [further causes omitted]\n");
                break;
            }
            if (depth > 0) {
                out.append("Caused by: ");
            }
            out.append(header(t, messageFilter)).append('\n');
            StackTraceElement[] trace = frames(t);
            int common = 0;
            if (depth > 0) {
                int m = trace.length - 1;
                int n = enclosing.length - 1;
                while (m >= 0 && n >= 0 && trace[m] != null && trace[m].equals(enclosing[n])) {
                    m--;
                    n--;
                    common++;
                }
            }
            int unique = trace.length - common;
            int printed = Math.min(unique, maxFrames);
            for (int i = 0; i < printed; i++) {
                out.append("\tat ").append(trace[i]).append('\n');
            }
            if (printed < unique) {
                out.append("\t... ").append(unique - printed).append(" frames omitted\n");
            }
            if (common > 0) {
                out.append("\t... ").append(common).append(" more\n");
            }
            enclosing = trace;
            t = cause(t);
            depth++;
        }
        return out.toString();
    }

    /** {@code type: message}, as Throwable.toString() would give it, without calling anything that may throw. */
    static String header(Throwable t, UnaryOperator<String> messageFilter) {
        String message = ErrorFingerprint.safeMessage(t);
        if (message != null) {
            message = messageFilter.apply(message);
        }
        String type = t.getClass().getName();
        return message == null ? type : type + ": " + message;
    }

    private static StackTraceElement[] frames(Throwable t) {
        try {
            StackTraceElement[] trace = t.getStackTrace();
            return trace == null ? new StackTraceElement[0] : trace;
        } catch (Throwable e) {
            ErrorFingerprint.rethrowIfFatal(e);
            return new StackTraceElement[0];
        }
    }

    private static Throwable cause(Throwable t) {
        try {
            return t.getCause();
        } catch (Throwable e) {
            ErrorFingerprint.rethrowIfFatal(e);
            return null;
        }
    }
}
