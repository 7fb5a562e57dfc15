package dev.vigil.it.servlet;

import dev.vigil.it.harness.ServletContainer;
import org.junit.jupiter.api.Tag;

/** The servlet contract on Jetty 12, started from its Maven Central distribution. */
@Tag("jdk-matrix")
class Jetty12IT extends ServletContainerContract {
    Jetty12IT() {
        super(ServletContainer.Kind.JETTY_12);
    }
}
