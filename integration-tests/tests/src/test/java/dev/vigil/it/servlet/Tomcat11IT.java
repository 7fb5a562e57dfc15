package dev.vigil.it.servlet;

import dev.vigil.it.harness.ServletContainer;
import org.junit.jupiter.api.Tag;

/** The servlet contract on Tomcat 11, started from its Maven Central distribution. */
@Tag("jdk-matrix")
class Tomcat11IT extends ServletContainerContract {
    Tomcat11IT() {
        super(ServletContainer.Kind.TOMCAT_11);
    }
}
