package dev.vigil.agent.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides which stack frames belong to the application. With configured packages, exactly those
 * are in-app; without, a frame is in-app unless its class belongs to the JDK or a well-known
 * library (the list below), which is what "inferred" means in FORMATS.md.
 */
public final class InAppPolicy {
    /** Class-name prefixes of the JDK and of widely used libraries and servers. */
    static final String[] LIBRARY_PREFIXES = {
        "java.",
        "javax.",
        "jdk.",
        "sun.",
        "com.sun.",
        "jakarta.",
        "kotlin.",
        "kotlinx.",
        "scala.",
        "groovy.",
        "org.codehaus.groovy.",
        "clojure.",
        "org.springframework.",
        "org.apache.",
        "org.eclipse.",
        "io.netty.",
        "io.undertow.",
        "org.jboss.",
        "org.wildfly.",
        "org.glassfish.",
        "com.fasterxml.",
        "com.google.",
        "org.hibernate.",
        "org.mybatis.",
        "org.jooq.",
        "ch.qos.logback.",
        "org.slf4j.",
        "org.apache.logging.",
        "io.micrometer.",
        "io.opentelemetry.",
        "net.bytebuddy.",
        "org.objectweb.asm.",
        "com.zaxxer.hikari.",
        "org.h2.",
        "org.hsqldb.",
        "org.postgresql.",
        "com.mysql.",
        "org.mariadb.",
        "oracle.",
        "com.microsoft.sqlserver.",
        "org.sqlite.",
        "okhttp3.",
        "okio.",
        "retrofit2.",
        "reactor.",
        "io.reactivex.",
        "rx.",
        "io.grpc.",
        "com.squareup.",
        "io.vertx.",
        "io.quarkus.",
        "io.micronaut.",
        "io.dropwizard.",
        "org.junit.",
        "junit.",
        "org.testng.",
        "org.mockito.",
        "org.aspectj.",
        "net.sf.cglib.",
        "javassist.",
        "org.yaml.",
        "com.amazonaws.",
        "software.amazon.",
        "io.lettuce.",
        "redis.clients.",
        "org.mongodb.",
        "com.mongodb.",
        "org.elasticsearch.",
        "co.elastic.",
        "feign.",
        "com.netflix.",
        "io.github.resilience4j.",
        "org.quartz.",
        "com.rabbitmq.",
        "org.apache.kafka.",
        "dev.vigil.agent."
    };

    private static final InAppPolicy INFERRED = new InAppPolicy(Collections.emptyList());

    private final List<String> packages;

    private InAppPolicy(List<String> packages) {
        this.packages = packages;
    }

    /** In-app frames are inferred: anything that is not the JDK or a well-known library. */
    public static InAppPolicy inferred() {
        return INFERRED;
    }

    /** In-app frames are exactly those under the given packages (e.g. {@code com.shop}); empty means inferred. */
    public static InAppPolicy packages(List<String> packages) {
        if (packages == null || packages.isEmpty()) {
            return INFERRED;
        }
        List<String> prefixes = new ArrayList<>();
        for (String p : packages) {
            String trimmed = p.trim();
            if (!trimmed.isEmpty()) {
                prefixes.add(trimmed.endsWith(".") ? trimmed : trimmed + ".");
            }
        }
        return prefixes.isEmpty() ? INFERRED : new InAppPolicy(Collections.unmodifiableList(prefixes));
    }

    /** Whether the frame {@code class.method} is application code. */
    public boolean isInApp(String frame) {
        if (!packages.isEmpty()) {
            for (String p : packages) {
                if (frame.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
        for (String prefix : LIBRARY_PREFIXES) {
            if (frame.startsWith(prefix)) {
                return false;
            }
        }
        // a class in the default package, or a generated one, is not evidence of application code
        return frame.indexOf('.') < frame.lastIndexOf('.');
    }
}
