package dev.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A real Tomcat or Jetty, unpacked from Maven Central by the build ({@code target/containers}),
 * started as its own JVM with the agent, serving the test webapp exploded under the context path
 * {@code /app}. Each start gets a fresh base directory (configuration, logs, webapps) so nothing
 * leaks between runs.
 */
public final class ServletContainer implements AutoCloseable {
    public static final String CONTEXT = "/app";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    /** The containers the build provides: the directory under target/containers and how to start it. */
    public enum Kind {
        TOMCAT_9("tomcat9", "servlet-app"),
        TOMCAT_10("tomcat10", "servlet-app-jakarta"),
        TOMCAT_11("tomcat11", "servlet-app-jakarta"),
        JETTY_11("jetty11", "servlet-app-jakarta"),
        JETTY_12("jetty12", "servlet-app-jakarta");

        final String dir;
        final String webapp;

        Kind(String dir, String webapp) {
            this.dir = dir;
            this.webapp = webapp;
        }

        boolean isTomcat() {
            return dir.startsWith("tomcat");
        }
    }

    private final Kind kind;
    private final JavaProcess process;
    private final int port;
    private final int metricsPort;

    private ServletContainer(Kind kind, JavaProcess process, int port, int metricsPort) {
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /** Starts the container with the agent exporting to the sink and waits until the webapp and the agent answer. */
    public static ServletContainer start(Kind kind, OtlpSink sink, String... agentOptions) {
        int port = Ports.free();
        int metricsPort = Ports.free();
        StringBuilder options = new StringBuilder()
                .append("collector.endpoint=")
                .append(sink.endpoint())
                .append(",metrics.port=")
                .append(metricsPort)
                .append(",metrics.host=127.0.0.1")
                .append(",traces.export.interval=200ms")
                .append(",service.name=")
                .append(kind.dir);
        for (String o : agentOptions) {
            options.append(',').append(o);
        }
        try {
            Path home = home(kind);
            Path base = Files.createTempDirectory(
                            Files.createDirectories(Paths.get("target", "container-bases")), kind.dir + "-")
                    .toAbsolutePath();
            deployWebapp(kind, base.resolve("webapps").resolve(CONTEXT.substring(1)));
            JavaProcess.Builder builder = JavaProcess.builder(kind.dir).agent(options.toString());
            if (kind.isTomcat()) {
                configureTomcat(builder, home, base, port);
            } else {
                configureJetty(kind, builder, home, base, port);
            }
            JavaProcess process = builder.start();
            ServletContainer container = new ServletContainer(kind, process, port, metricsPort);
            try {
                Wait.until(
                        STARTUP,
                        kind.dir + " to serve the webapp",
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(kind.dir + " exited\n" + process.tail());
                            }
                            return Http.status(container.url("/hello")) == 200;
                        },
                        process::tail);
                Wait.until(
                        STARTUP,
                        "the agent's /metrics endpoint in " + kind.dir,
                        () -> Http.status(container.metricsUrl()) == 200,
                        process::tail);
            } catch (RuntimeException | AssertionError e) {
                process.close();
                throw e;
            }
            return container;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path home(Kind kind) throws IOException {
        Path unpacked = Paths.get(System.getProperty("vigil.containers.dir", "target/containers"), kind.dir);
        if (!Files.isDirectory(unpacked)) {
            throw new IllegalStateException(unpacked + " is missing: the build unpacks the containers in"
                    + " process-test-resources (maven-dependency-plugin)");
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(
                unpacked,
                p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))) {
            for (Path dir : dirs) {
                return dir.toAbsolutePath();
            }
        }
        throw new IllegalStateException("nothing unpacked in " + unpacked);
    }

    /** The webapp exploded: its web.xml from the app's sources, its classes as the app's jar in WEB-INF/lib. */
    private static void deployWebapp(Kind kind, Path dir) throws IOException {
        Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
        Path appDir = Paths.get(System.getProperty("vigil.apps.dir"), kind.webapp);
        Files.copy(appDir.resolve("src/main/webapp/WEB-INF/web.xml"), webInf.resolve("web.xml"));
        Path jar = appDir.resolve("target").resolve(kind.webapp + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the integration-tests apps first");
        }
        Files.copy(jar, Files.createDirectories(webInf.resolve("lib")).resolve(jar.getFileName()));
    }

    private static void configureTomcat(JavaProcess.Builder builder, Path home, Path base, int port)
            throws IOException {
        copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : new String[] {"logs", "temp", "work"}) {
            Files.createDirectories(base.resolve(dir));
        }
        Path serverXml = base.resolve("conf/server.xml");
        String xml = Files.readString(serverXml, StandardCharsets.UTF_8)
                .replace("port=\"8005\"", "port=\"-1\"") // no shutdown port: the test stops it with a signal
                .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\"");
        if (!xml.contains("port=\"" + port + "\"")) {
            throw new IllegalStateException("unexpected server.xml in " + home + ": no HTTP connector on 8080");
        }
        Files.writeString(serverXml, xml, StandardCharsets.UTF_8);
        builder.classpath(
                        home.resolve("bin/bootstrap.jar")
                                + java.io.File.pathSeparator
                                + home.resolve("bin/tomcat-juli.jar"),
                        "org.apache.catalina.startup.Bootstrap")
                .systemProperty("catalina.home", home.toString())
                .systemProperty("catalina.base", base.toString())
                .systemProperty("java.io.tmpdir", base.resolve("temp").toString())
                .systemProperty("java.util.logging.manager", "org.apache.juli.ClassLoaderLogManager")
                .systemProperty(
                        "java.util.logging.config.file",
                        base.resolve("conf/logging.properties").toString())
                .args("start");
    }

    private static void configureJetty(Kind kind, JavaProcess.Builder builder, Path home, Path base, int port) {
        builder.jar(home.resolve("start.jar"))
                .workDir(base)
                .args(
                        "jetty.home=" + home,
                        "jetty.base=" + base,
                        // Server properties first: Jetty 12 scopes what follows an ee module to its environment.
                        "jetty.http.host=127.0.0.1",
                        "jetty.http.port=" + port,
                        kind == Kind.JETTY_11 ? "--module=http,deploy" : "--module=http,ee10-deploy");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** URL of a path inside the webapp, e.g. {@code url("/hello")} is {@code http://127.0.0.1:<port>/app/hello}. */
    public String url(String pathInApp) {
        return "http://127.0.0.1:" + port + CONTEXT + pathInApp;
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    public String scrape() {
        return Http.get(metricsUrl()).body();
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
