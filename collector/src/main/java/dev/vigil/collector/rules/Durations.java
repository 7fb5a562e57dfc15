package dev.vigil.collector.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations of rule files: {@code 30s}, {@code 5m}, {@code 1h}, {@code 3d}, combinable ({@code 1h30m}). */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message naming the accepted form
     */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        Duration total = Duration.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a duration; write it like 30s, 5m, 1h, 3d or 1h30m");
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        case "d" -> Duration.ofDays(n);
                        default -> Duration.ofDays(7 * n);
                    });
            pos = m.end();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write it like 30s, 5m, 1h or 3d");
        }
        return total;
    }

    /** The shortest Prometheus form: {@code 1h}, {@code 90s}, {@code 1h30m}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        StringBuilder b = new StringBuilder();
        long[] units = {604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"w", "d", "h", "m", "s", "ms"};
        // Prometheus prints days and hours rather than weeks for short periods; weeks only when exact.
        for (int i = 0; i < units.length; i++) {
            if (i == 0 && ms % units[0] != 0) {
                continue;
            }
            long n = ms / units[i];
            if (n > 0) {
                b.append(n).append(names[i]);
                ms -= n * units[i];
            }
        }
        return b.toString();
    }
}
