package dev.vigil.collector.rules;

import java.util.Locale;

/** Log levels in order of severity, with the OTLP severity numbers they start at. */
public enum LogLevel {
    TRACE(1),
    DEBUG(5),
    INFO(9),
    WARN(13),
    ERROR(17),
    FATAL(21);

    private final int minSeverityNumber;

    LogLevel(int minSeverityNumber) {
        this.minSeverityNumber = minSeverityNumber;
    }

    /** Level of an OTLP severity number (1..24); 0 (unspecified) reads as INFO. */
    public static LogLevel ofSeverityNumber(int number) {
        LogLevel level = INFO;
        if (number <= 0) {
            return level;
        }
        for (LogLevel l : values()) {
            if (number >= l.minSeverityNumber) {
                level = l;
            }
        }
        return level;
    }

    /** Parses a level name (WARNING and SEVERE are accepted as JUL spellings); null if unknown. */
    public static LogLevel parse(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "WARNING" -> WARN;
            case "SEVERE" -> ERROR;
            case "CRITICAL" -> FATAL;
            default -> {
                for (LogLevel l : values()) {
                    if (l.name().equals(upper)) {
                        yield l;
                    }
                }
                yield null;
            }
        };
    }
}
