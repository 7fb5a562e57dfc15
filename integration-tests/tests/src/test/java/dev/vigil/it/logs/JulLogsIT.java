package dev.vigil.it.logs;

import org.junit.jupiter.api.Tag;

/** The logging contract against integration-tests/apps/jul-app. */
@Tag("jdk-matrix")
class JulLogsIT extends LogFrameworkContract {
    @Override
    String appName() {
        return "jul-app";
    }

    @Override
    boolean hasMdc() {
        return false;
    }
}
