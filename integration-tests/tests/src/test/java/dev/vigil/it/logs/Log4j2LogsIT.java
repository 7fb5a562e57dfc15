package dev.vigil.it.logs;

import org.junit.jupiter.api.Tag;

/** The logging contract against integration-tests/apps/log4j2-app. */
@Tag("jdk-matrix")
class Log4j2LogsIT extends LogFrameworkContract {
    @Override
    String appName() {
        return "log4j2-app";
    }

    @Override
    boolean hasMdc() {
        return true;
    }
}
