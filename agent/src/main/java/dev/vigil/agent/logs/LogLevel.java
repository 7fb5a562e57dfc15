package dev.vigil.agent.logs;

import dev.vigil.agent.bootstrap.LogBridge;
import io.opentelemetry.api.logs.Severity;
import java.util.Locale;

/** The five levels every framework's levels map to, with their OTLP severity and logstash {@code level_value}. */
enum LogLevel {
    TRACE(Severity.TRACE, 5000),
    DEBUG(Severity.DEBUG, 10000),
    INFO(Severity.INFO, 20000),
    WARN(Severity.WARN, 30000),
    ERROR(Severity.ERROR, 40000);

    final Severity severity;
    final int levelValue;
    final String label = name();

    LogLevel(Severity severity, int levelValue) {
        this.severity = severity;
        this.levelValue = levelValue;
    }

    /** The level of a framework's raw level number (Logback toInt, Log4j intLevel, JUL intValue). */
    static LogLevel of(int framework, int raw) {
        switch (framework) {
            case LogBridge.LOGBACK:
                return raw >= 40000 ? ERROR : raw >= 30000 ? WARN : raw >= 20000 ? INFO : raw >= 10000 ? DEBUG : TRACE;
            case LogBridge.LOG4J2:
                // lower is more severe: FATAL 100, ERROR 200, WARN 300, INFO 400, DEBUG 500, TRACE 600
                return raw <= 200 ? ERROR : raw <= 300 ? WARN : raw <= 400 ? INFO : raw <= 500 ? DEBUG : TRACE;
            case LogBridge.JUL:
                // SEVERE 1000, WARNING 900, INFO 800, CONFIG 700, FINE 500, FINER 400, FINEST 300
                return raw >= 1000 ? ERROR : raw >= 900 ? WARN : raw >= 800 ? INFO : raw >= 500 ? DEBUG : TRACE;
            default:
                return INFO;
        }
    }

    /** The threshold of {@code vigil.logs.export.level}; null for {@code off}. */
    static LogLevel threshold(String setting) {
        return "off".equals(setting) ? null : valueOf(setting.toUpperCase(Locale.ROOT));
    }
}
