package dev.vigil.it.servlet;

import dev.vigil.it.harness.ServletContainer;

/** The servlet contract on Tomcat 10, started from its Maven Central distribution. */
class Tomcat10IT extends ServletContainerContract {
    Tomcat10IT() {
        super(ServletContainer.Kind.TOMCAT_10);
    }
}
