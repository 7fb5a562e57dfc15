package dev.vigil.it.servlet;

import dev.vigil.it.harness.ServletContainer;

/** The servlet contract on Tomcat 9, started from its Maven Central distribution. */
class Tomcat9IT extends ServletContainerContract {
    Tomcat9IT() {
        super(ServletContainer.Kind.TOMCAT_9);
    }
}
