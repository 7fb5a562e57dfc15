package dev.vigil.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parsers for the value types used in configuration. Each throws IllegalArgumentException with a readable reason. */
final class ConfigValues {
    private ConfigValues() {}

    static String string(String raw) {
        return raw.trim();
    }

    static Boolean bool(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return Boolean.TRUE;
            case "false":
            case "no":
            case "off":
            case "0":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("expected true or false, got '" + raw + "'");
        }
    }

    static Integer integer(String raw) {
        try {
            return Integer.valueOf(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + raw + "'");
        }
    }

    static java.util.function.Function<String, Integer> intInRange(int min, int max) {
        return raw -> {
            int v = integer(raw);
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max + ", got " + v);
            }
            return v;
        };
    }

    static java.util.function.Function<String, Double> ratio() {
        return raw -> {
            double v;
            try {
                v = Double.parseDouble(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number from 0 to 1, got '" + raw + "'");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("expected a number from 0 to 1, got " + raw);
            }
            return v;
        };
    }

    /** Durations: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number means milliseconds. */
    static Duration duration(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(
                        Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(
                        Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(
                        Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("d")) {
                return Duration.ofDays(
                        Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 5m or 1h, got '" + raw + "'");
        }
    }

    static java.util.function.Function<String, Duration> positiveDuration() {
        return raw -> {
            Duration d = duration(raw);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("expected a duration above zero, got '" + raw + "'");
            }
            return d;
        };
    }

    /** Sizes: {@code 512KiB}, {@code 64MiB}, {@code 1GiB} (KB/MB/GB are read as the same powers of 1024); bare = bytes. */
    static Long bytes(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String[][] units = {
            {"kib", "1024"},
            {"kb", "1024"},
            {"k", "1024"},
            {"mib", "1048576"},
            {"mb", "1048576"},
            {"m", "1048576"},
            {"gib", "1073741824"},
            {"gb", "1073741824"},
            {"g", "1073741824"},
            {"b", "1"}
        };
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected a size such as 512KiB, 64MiB or 1GiB, got '" + raw + "'");
        }
    }

    static java.util.function.Function<String, Long> bytesAtLeast(long min) {
        return raw -> {
            long v = bytes(raw);
            if (v < min) {
                throw new IllegalArgumentException("expected a size of at least " + min + " bytes, got '" + raw + "'");
            }
            return v;
        };
    }

    /** Lists are separated by commas or semicolons (semicolons work inside agent arguments). */
    static List<String> list(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split("[,;]")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Maps are {@code key=value} pairs separated by commas or semicolons; values are URL-decoded as in OTEL_*. */
    static Map<String, String> map(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : list(raw)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value pairs, got '" + pair + "'");
            }
            String value = pair.substring(eq + 1).trim();
            try {
                value = java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException keepRaw) {
                // not URL-encoded: keep the value as written
            }
            out.put(pair.substring(0, eq).trim(), value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code off}, {@code console} or {@code file:<path>} (the path is kept as written). */
    static String logsJson(String raw) {
        String v = raw.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("off") || lower.equals("console")) {
            return lower;
        }
        if (lower.startsWith("file:")
                && v.length() > 5
                && !v.substring(5).trim().isEmpty()) {
            return "file:" + v.substring(5).trim();
        }
        throw new IllegalArgumentException("expected off, console or file:<path>, got '" + raw + "'");
    }

    static String regex(String raw) {
        try {
            java.util.regex.Pattern.compile(raw);
            return raw;
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription());
        }
    }

    static java.util.function.Function<String, String> oneOf(String... choices) {
        return raw -> {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            for (String c : choices) {
                if (c.equals(v)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("expected one of " + String.join(", ", choices) + ", got '" + raw + "'");
        };
    }

    static String url(String raw) {
        String v = raw.trim();
        try {
            java.net.URI uri = new java.net.URI(v);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected an http:// or https:// URL, got '" + raw + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("expected an http:// or https:// URL, got '" + raw + "'");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
