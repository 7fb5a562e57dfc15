package dev.vigil.agent.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses the text of a Java stack trace ({@code Throwable.printStackTrace()}, OpenTelemetry's
 * {@code exception.stacktrace}) back into a cause chain. "Suppressed:" blocks are skipped, and the
 * "... N more" of a cause is filled in from the enclosing trace, so the frames match what
 * {@code getStackTrace()} returned.
 */
public final class StackTraceText {
    private StackTraceText() {}

    /** The cause chain, outermost first; empty if the text holds no recognisable exception. */
    public static List<ExceptionInfo> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Collections.emptyList();
        }
        List<ExceptionInfo> chain = new ArrayList<>();
        String type = null;
        String message = null;
        List<String> frames = null;
        int suppressedIndent = -1; // while >= 0, lines indented deeper than this belong to a Suppressed block
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length && chain.size() < ErrorFingerprint.MAX_CHAIN; i++) {
            String line = lines[i];
            int indent = indentOf(line);
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (suppressedIndent >= 0) {
                if (indent > suppressedIndent) {
                    continue;
                }
                suppressedIndent = -1;
            }
            if (t.startsWith("Suppressed: ")) {
                suppressedIndent = indent;
                continue;
            }
            if (t.startsWith("at ")) {
                if (frames != null) {
                    String frame = frame(t.substring(3));
                    if (frame != null) {
                        frames.add(frame);
                    }
                }
                continue;
            }
            if (t.startsWith("... ") && t.endsWith(" more")) {
                if (frames != null && !chain.isEmpty()) {
                    int more = parseInt(t.substring(4, t.length() - 5).trim());
                    List<String> enclosing = chain.get(chain.size() - 1).frames();
                    int from = Math.max(0, enclosing.size() - more);
                    frames.addAll(enclosing.subList(from, enclosing.size()));
                }
                continue;
            }
            boolean cause = t.startsWith("Caused by: ");
            if (cause || frames == null) {
                if (frames != null) {
                    chain.add(new ExceptionInfo(type, message, frames));
                }
                String header = cause ? t.substring(11) : t;
                int colon = header.indexOf(": ");
                String candidate = colon >= 0 ? header.substring(0, colon) : header;
                if (!looksLikeClassName(candidate)) {
                    if (frames == null) {
                        continue; // preamble before the first exception line
                    }
                    frames = null;
                    break;
                }
                type = candidate;
                message = colon >= 0 ? header.substring(colon + 2) : null;
                frames = new ArrayList<>();
            } else if (frames.isEmpty()) {
                // continuation of a multi-line message
                message = message == null ? t : message + "\n" + t;
            }
        }
        if (frames != null && chain.size() < ErrorFingerprint.MAX_CHAIN) {
            chain.add(new ExceptionInfo(type, message, frames));
        }
        return chain;
    }

    /**
     * {@code [loader/][module@version/]pkg.Class.method(File.java:12)} to {@code pkg.Class.method};
     * hidden classes keep their {@code /0x...} suffix so they are recognised and ignored.
     */
    static String frame(String at) {
        int paren = at.indexOf('(');
        String qualified = paren >= 0 ? at.substring(0, paren) : at;
        int hidden = qualified.indexOf("/0x");
        int slash = hidden >= 0 ? qualified.lastIndexOf('/', hidden - 1) : qualified.lastIndexOf('/');
        if (slash >= 0) {
            qualified = qualified.substring(slash + 1);
        }
        return qualified.indexOf('.') > 0 ? qualified.trim() : null;
    }

    private static boolean looksLikeClassName(String s) {
        if (s.isEmpty() || s.indexOf(' ') >= 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '.' || c == '$')) {
                return false;
            }
        }
        return Character.isJavaIdentifierStart(s.charAt(0));
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && (line.charAt(n) == '\t' || line.charAt(n) == ' ')) {
            n++;
        }
        return n;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
