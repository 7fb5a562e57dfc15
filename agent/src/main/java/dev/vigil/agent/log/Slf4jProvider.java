package dev.vigil.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent's shaded SLF4J: routes the shaded libraries' logging (Micrometer,
 * Logback internals) to {@link AgentLog}. It replaces the shaded Logback binding, so the shaded
 * Logback never configures itself and never reads the host's {@code logback.xml} or
 * {@code logback.configurationFile}.
 */
public final class Slf4jProvider implements SLF4JServiceProvider {
    private final ILoggerFactory factory = name -> new Slf4jLogger(name);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {}

    private static final class Slf4jLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient AgentLog log;

        Slf4jLogger(String name) {
            this.name = name;
            int dot = name.lastIndexOf('.');
            this.log = AgentLog.named(dot >= 0 ? name.substring(dot + 1) : name);
        }

        private static boolean on(AgentLog.Level level) {
            return AgentLog.level() != AgentLog.Level.OFF && AgentLog.level().compareTo(level) <= 0;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return on(AgentLog.Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return on(AgentLog.Level.DEBUG); // third-party INFO is shown at DEBUG
        }

        @Override
        public boolean isWarnEnabled() {
            return on(AgentLog.Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return on(AgentLog.Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
            AgentLog.Level l;
            switch (level) {
                case ERROR:
                    l = AgentLog.Level.ERROR;
                    break;
                case WARN:
                    l = AgentLog.Level.WARN;
                    break;
                default:
                    l = AgentLog.Level.DEBUG;
            }
            log.at(l, MessageFormatter.basicArrayFormat(pattern, arguments), throwable);
        }
    }
}
