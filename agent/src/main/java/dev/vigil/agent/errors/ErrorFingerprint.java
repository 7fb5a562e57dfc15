package dev.vigil.agent.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stable short id for "the same error", following Sentry's grouping of Java exceptions
 * (FORMATS.md): the exception types of the cause chain, root cause first, each with its in-app
 * frames as {@code class.method} (no line numbers), normalised so that lambdas, generated proxies
 * and accessor numbers do not split a group. The message counts only when no frame is left.
 *
 * <p>The same code path gives the same id across restarts, JVM versions and line shifts; another
 * call site or another type gives another id. {@link #of(Throwable, InAppPolicy)} and
 * {@link #ofStackTrace(String, InAppPolicy)} agree for a throwable and its printed stack trace.
 */
public final class ErrorFingerprint {
    /** Exceptions of a cause chain that count (a cycle or an absurdly deep chain stops earlier). */
    static final int MAX_CHAIN = 8;
    /** Frames per exception that count, nearest the throw point first (deep recursion stays one group). */
    static final int MAX_FRAMES = 40;
    /** Raw frames per exception that are looked at, so a throwable and its printed text agree on long traces. */
    static final int RAW_FRAMES = 256;

    private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final Pattern CGLIB =
            Pattern.compile("\\$\\$(EnhancerBy|FastClassBy)?(Spring)?CGLIB\\$\\$[0-9a-zA-Z_]+");
    private static final Pattern JAVASSIST = Pattern.compile("_\\$\\$_jvst[0-9a-zA-Z_]+");
    private static final Pattern BYTEBUDDY =
            Pattern.compile("\\$(ByteBuddy|HibernateProxy|MockitoMock)\\$[0-9a-zA-Z_]+");
    private static final Pattern JDK_PROXY = Pattern.compile("^(com\\.sun\\.proxy|jdk\\.proxy\\d+)\\.\\$Proxy\\d+");
    private static final Pattern PROXY_CLASS = Pattern.compile("\\$Proxy\\d+");
    private static final Pattern ACCESSOR =
            Pattern.compile("(Generated(Serialization)?(Method|Constructor)Accessor)\\d+");
    private static final Pattern ACCESS_METHOD = Pattern.compile("^access\\$\\d+$");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HEX = Pattern.compile("\\b(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");

    private ErrorFingerprint() {}

    /** The fingerprint of a throwable; never throws, whatever the throwable does. */
    public static String of(Throwable error, InAppPolicy policy) {
        return of(chain(error), policy);
    }

    /** The fingerprint of a printed Java stack trace (as in OpenTelemetry's {@code exception.stacktrace}). */
    public static String ofStackTrace(String stackTrace, InAppPolicy policy) {
        return of(StackTraceText.parse(stackTrace), policy);
    }

    /** The fingerprint of a cause chain given outermost first (as {@link #chain} returns it). */
    public static String of(List<ExceptionInfo> chain, InAppPolicy policy) {
        return hash(components(chain, policy));
    }

    /**
     * The cause chain, outermost first, at most {@link #MAX_CHAIN} long, safe against cycles and
     * against {@code getMessage()}/{@code getStackTrace()} implementations that throw.
     */
    public static List<ExceptionInfo> chain(Throwable error) {
        List<ExceptionInfo> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = error;
        while (t != null && out.size() < MAX_CHAIN && seen.add(t)) {
            out.add(new ExceptionInfo(t.getClass().getName(), safeMessage(t), frames(t)));
            t = safeCause(t);
        }
        return out;
    }

    /** What is hashed, one line each; exposed for tests and for explaining a group. */
    static List<String> components(List<ExceptionInfo> chain, InAppPolicy policy) {
        List<String> lines = new ArrayList<>();
        boolean anyFrame = false;
        // root cause first: what actually failed leads the key
        for (int i = chain.size() - 1; i >= 0; i--) {
            ExceptionInfo e = chain.get(i);
            lines.add("type " + normalizeClass(e.type()));
            List<String> frames = groupingFrames(e.frames(), policy);
            for (String f : frames) {
                lines.add("at " + f);
            }
            anyFrame |= !frames.isEmpty();
        }
        if (!anyFrame) {
            List<String> withMessages = new ArrayList<>();
            for (int i = chain.size() - 1; i >= 0; i--) {
                ExceptionInfo e = chain.get(i);
                withMessages.add("type " + normalizeClass(e.type()));
                if (e.message() != null && !e.message().isEmpty()) {
                    withMessages.add("message " + normalizeMessage(e.message()));
                }
            }
            return withMessages;
        }
        return lines;
    }

    /** In-app frames if there are any; else the non-JDK frames (JDK internals vary between versions). */
    static List<String> groupingFrames(List<String> rawFrames, InAppPolicy policy) {
        List<String> normalized = new ArrayList<>();
        String previous = null;
        int limit = Math.min(rawFrames.size(), RAW_FRAMES);
        for (int i = 0; i < limit; i++) {
            String f = normalizeFrame(rawFrames.get(i));
            if (f == null || f.equals(previous)) {
                continue; // ignored frame, or direct recursion
            }
            normalized.add(f);
            previous = f;
        }
        List<String> inApp = new ArrayList<>();
        for (String f : normalized) {
            if (policy.isInApp(f)) {
                inApp.add(f);
            }
        }
        List<String> chosen = inApp;
        if (chosen.isEmpty()) {
            for (String f : normalized) {
                if (!isJdk(f)) {
                    chosen.add(f);
                }
            }
        }
        return chosen.size() > MAX_FRAMES ? chosen.subList(0, MAX_FRAMES) : chosen;
    }

    /** {@code class.method} normalised, or null for frames that must not count (lambdas, hidden classes). */
    static String normalizeFrame(String frame) {
        int dot = frame.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String cls = frame.substring(0, dot);
        String method = frame.substring(dot + 1);
        if (method.startsWith("lambda$")
                || cls.contains("$$Lambda")
                || cls.contains("/0x")
                || cls.startsWith("java.lang.invoke.LambdaForm$")) {
            return null;
        }
        if (ACCESS_METHOD.matcher(method).matches()) {
            method = "access$";
        }
        return normalizeClass(cls) + "." + method;
    }

    static String normalizeClass(String cls) {
        String c = cls;
        if (c.indexOf('$') >= 0 || c.contains("Accessor")) {
            c = CGLIB.matcher(c).replaceAll("");
            c = JAVASSIST.matcher(c).replaceAll("");
            c = BYTEBUDDY.matcher(c).replaceAll("");
            c = JDK_PROXY.matcher(c).replaceAll("\\$Proxy");
            c = PROXY_CLASS.matcher(c).replaceAll("\\$Proxy");
            c = ACCESSOR.matcher(c).replaceAll("$1");
        }
        return c;
    }

    /** Numbers, ids and quoted values masked, so "order 42 not found" and "order 43 not found" group. */
    static String normalizeMessage(String message) {
        String m = message.length() > 1000 ? message.substring(0, 1000) : message;
        m = QUOTED.matcher(m).replaceAll("<v>");
        m = UUID.matcher(m).replaceAll("<id>");
        m = HEX.matcher(m).replaceAll("<id>");
        m = NUMBER.matcher(m).replaceAll("<n>");
        return m.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJdk(String frame) {
        for (String p : JDK_PREFIXES) {
            if (frame.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> frames(Throwable t) {
        StackTraceElement[] trace;
        try {
            trace = t.getStackTrace();
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return Collections.emptyList();
        }
        if (trace == null) {
            return Collections.emptyList();
        }
        int n = Math.min(trace.length, RAW_FRAMES);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StackTraceElement e = trace[i];
            if (e != null) {
                out.add(e.getClassName() + "." + e.getMethodName());
            }
        }
        return out;
    }

    /** The message, or null when there is none or {@code getMessage()} throws. */
    public static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return null;
        }
    }

    private static Throwable safeCause(Throwable t) {
        try {
            return t.getCause();
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return null;
        }
    }

    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }

    private static String hash(List<String> components) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String c : components) {
                digest.update(c.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            byte[] bytes = digest.digest();
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
                        .append(Character.forDigit(bytes[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
