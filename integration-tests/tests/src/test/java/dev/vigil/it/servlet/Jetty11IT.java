package dev.vigil.it.servlet;

import dev.vigil.it.harness.ServletContainer;

/** The servlet contract on Jetty 11, started from its Maven Central distribution. */
class Jetty11IT extends ServletContainerContract {
    Jetty11IT() {
        super(ServletContainer.Kind.JETTY_11);
    }
}
