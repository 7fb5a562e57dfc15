package dev.vigil.agent.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own logger. It writes to the process's real standard error (not {@code System.err},
 * which applications often redirect into their logging framework, which the agent instruments) and
 * never goes through the application's SLF4J, Logback, Log4j or JUL configuration.
 */
public final class AgentLog {
    /** Levels, least severe first. */
    public enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR,
        OFF;

        public static Level parse(String value) {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final PrintStream STDERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static volatile Level threshold = Level.INFO;

    private final String name;

    private AgentLog(String name) {
        this.name = name;
    }

    public static AgentLog get(Class<?> type) {
        return new AgentLog(type.getSimpleName());
    }

    public static AgentLog named(String name) {
        return new AgentLog(name);
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static Level level() {
        return threshold;
    }

    public boolean isDebugEnabled() {
        return threshold.compareTo(Level.DEBUG) <= 0;
    }

    public void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    public void info(String message) {
        log(Level.INFO, message, null);
    }

    public void warn(String message) {
        log(Level.WARN, message, null);
    }

    public void warn(String message, Throwable error) {
        log(Level.WARN, message, error);
    }

    public void error(String message, Throwable error) {
        log(Level.ERROR, message, error);
    }

    /**
     * Logs at WARN the first time {@code key} is seen, and at DEBUG afterwards, so a failure on a hot
     * path is visible once without flooding the output.
     */
    public void warnOnce(String key, String message, Throwable error) {
        if (ONCE.add(key)) {
            log(Level.WARN, message + " (further occurrences are logged at DEBUG)", error);
        } else {
            log(Level.DEBUG, message, error);
        }
    }

    /** Logs at the given level. */
    public void at(Level level, String message, Throwable error) {
        log(level, message == null ? "null" : message, error);
    }

    private void log(Level level, String message, Throwable error) {
        if (level.compareTo(threshold) < 0 || threshold == Level.OFF) {
            return;
        }
        StringBuilder line = new StringBuilder(96 + message.length())
                .append(Instant.now())
                .append(" [vigil] ")
                .append(level.name())
                .append(' ')
                .append(name)
                .append(" - ")
                .append(message);
        if (error != null) {
            line.append(": ").append(error);
        }
        synchronized (STDERR) {
            STDERR.println(line);
            if (error != null && threshold == Level.DEBUG) {
                error.printStackTrace(STDERR);
            }
        }
    }
}
