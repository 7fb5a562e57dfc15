package dev.vigil.it.logs;

import org.junit.jupiter.api.Tag;

/** The logging contract against integration-tests/apps/logback-app. */
@Tag("jdk-matrix")
class LogbackLogsIT extends LogFrameworkContract {
    @Override
    String appName() {
        return "logback-app";
    }

    @Override
    boolean hasMdc() {
        return true;
    }
}
