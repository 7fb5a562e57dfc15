package dev.vigil.agent.log;

import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Stand-in for {@code java.util.logging.Logger} inside the agent's shaded libraries (the OpenTelemetry
 * SDK logs through JUL). The build relocates their references to this class, so the agent never
 * initialises the host's {@code LogManager} (which breaks servers that install their own, such as
 * WildFly) and their messages go to {@link AgentLog}.
 *
 * <p>It implements exactly the methods the shaded libraries call; a link check in the integration
 * tests fails the build if a library update starts calling another one. Agent code itself must not
 * use {@code java.util.logging.Logger} outside advice classes, since it would be relocated too.
 */
public final class PatchLogger {
    private final String name;
    private final AgentLog log;

    private PatchLogger(String name) {
        this.name = name;
        this.log = AgentLog.named(shortName(name));
    }

    public static PatchLogger getLogger(String name) {
        return new PatchLogger(name);
    }

    public static PatchLogger getLogger(String name, String resourceBundle) {
        return new PatchLogger(name);
    }

    public String getName() {
        return name;
    }

    public boolean isLoggable(Level level) {
        return AgentLog.level().compareTo(map(level)) <= 0 && AgentLog.level() != AgentLog.Level.OFF;
    }

    public void log(Level level, String message) {
        log.at(map(level), message, null);
    }

    public void log(Level level, String message, Throwable error) {
        log.at(map(level), message, error);
    }

    public void log(Level level, String message, Object param) {
        log.at(map(level), format(message, new Object[] {param}), null);
    }

    public void log(Level level, String message, Object[] params) {
        log.at(map(level), format(message, params), null);
    }

    public void log(LogRecord record) {
        log.at(map(record.getLevel()), format(record.getMessage(), record.getParameters()), record.getThrown());
    }

    public void severe(String message) {
        log(Level.SEVERE, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    public void info(String message) {
        log(Level.INFO, message);
    }

    public void config(String message) {
        log(Level.CONFIG, message);
    }

    public void fine(String message) {
        log(Level.FINE, message);
    }

    public void finer(String message) {
        log(Level.FINER, message);
    }

    public void finest(String message) {
        log(Level.FINEST, message);
    }

    /** Levels are governed by vigil.log.level; setting them per logger is ignored. */
    public void setLevel(Level level) {}

    public Level getLevel() {
        return null;
    }

    /** Third-party INFO is detail for the agent's user, so it shows at DEBUG. */
    static AgentLog.Level map(Level level) {
        if (level == null) {
            return AgentLog.Level.DEBUG;
        }
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return AgentLog.Level.ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return AgentLog.Level.WARN;
        }
        return AgentLog.Level.DEBUG;
    }

    private static String format(String message, Object[] params) {
        if (message == null || params == null || params.length == 0 || message.indexOf('{') < 0) {
            return String.valueOf(message);
        }
        try {
            return java.text.MessageFormat.format(message, params);
        } catch (IllegalArgumentException e) {
            return message;
        }
    }

    private static String shortName(String name) {
        if (name == null) {
            return "jul";
        }
        int dot = name.lastIndexOf('.');
        return dot >= 0 ? name.substring(dot + 1) : name;
    }
}
