package dev.vigil.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Paths the Maven build passes to the integration tests. */
public final class TestEnv {
    private TestEnv() {}

    public static Path repoRoot() {
        return Paths.get(required("vigil.repo.root")).toAbsolutePath().normalize();
    }

    /** {@code agent/target/vigil-agent.jar}; run {@code mvn verify} from the root so it is built first. */
    public static Path agentJar() {
        Path jar = Paths.get(required("vigil.agent.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with 'mvn package' from the repository root");
        }
        return jar;
    }

    /** {@code collector/target/vigil-collector.jar}, the runnable collector. */
    public static Path collectorJar() {
        Path jar = repoRoot().resolve("collector/target/vigil-collector.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with 'mvn package' from the repository root");
        }
        return jar;
    }

    /**
     * A program from the system's packages (prometheus, prometheus-alertmanager, promtool, amtool):
     * the first of {@code names} found on the PATH. Fails with the command that installs them.
     */
    public static String program(String... names) {
        for (String name : names) {
            for (String dir :
                    System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                Path candidate = Paths.get(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new IllegalStateException(
                String.join(" or ", names)
                        + " is not installed: run scripts/install-test-deps.sh (apt-get install prometheus prometheus-alertmanager)");
    }

    /** A sample app's jar: {@code integration-tests/apps/<app>/target/<app>.jar}. */
    public static Path appJar(String app) {
        Path jar = Paths.get(required("vigil.apps.dir"), app, "target", app + ".jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the integration-tests apps first");
        }
        return jar;
    }

    /** The JDK that runs the applications under test (JDK 17 by default, Temurin 25 in the jdk25 run). */
    public static Path javaHome() {
        String home = System.getProperty("vigil.test.java.home");
        Path p = Paths.get(home == null || home.isEmpty() ? System.getProperty("java.home") : home);
        if (!Files.isExecutable(p.resolve("bin/java"))) {
            throw new IllegalStateException("no java at " + p + " (vigil.test.java.home)");
        }
        return p;
    }

    /** Feature version of {@link #javaHome()}, e.g. 17 or 25. */
    public static int javaFeature() {
        try {
            for (String line : Files.readAllLines(javaHome().resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring(14, line.length() - 1);
                    return Integer.parseInt(v.split("[.\"]")[0]);
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return Runtime.version().feature();
    }

    public static Path logsDir() {
        String dir = System.getProperty("vigil.it.logs");
        return Paths.get(dir == null ? "target/it-logs" : dir);
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
        }
        return v;
    }
}
