package dev.vigil.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started by a test: output (stdout and stderr, merged) is kept in memory and written to
 * {@code target/it-logs/<name>.log}. Always used in try-with-resources so it is stopped even when
 * the test fails.
 */
public final class JavaProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private JavaProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        Files.createDirectories(log.getParent());
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        this.pump = new Thread(() -> pump(writer), "output-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    private void pump(Writer writer) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer w = writer) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    if (lines.size() < 200_000) {
                        lines.add(line);
                    }
                }
                w.write(line);
                w.write('\n');
                w.flush();
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    public List<String> output() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public String outputText() {
        return String.join("\n", output());
    }

    /** Waits for a line matching the predicate; fails early if the process exits. */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        String[] found = new String[1];
        Wait.until(
                timeout,
                name + " to print a matching line",
                () -> {
                    for (String l : output()) {
                        if (match.test(l)) {
                            found[0] = l;
                            return true;
                        }
                    }
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue());
                    }
                    return false;
                },
                this::tail);
        return found[0];
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + tail());
            }
            pump.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The last lines of output, for failure messages. */
    public String tail() {
        List<String> out = output();
        return "--- last output of " + name + " ---\n"
                + String.join("\n", out.subList(Math.max(0, out.size() - 60), out.size()));
    }

    /** Sends SIGKILL (kill -9) and waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process: SIGTERM, then SIGKILL after 10 seconds. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds and starts a {@link JavaProcess}. */
    public static final class Builder {
        private final String name;
        private Path javaHome = TestEnv.javaHome();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String classpath;
        private String mainClass;
        private Path jar;
        private Path workDir;
        private String executable;

        Builder(String name) {
            this.name = name;
        }

        public Builder javaHome(Path home) {
            this.javaHome = home;
            return this;
        }

        /** Adds {@code -javaagent:vigil-agent.jar[=options]}. */
        public Builder agent(String options) {
            jvmArgs.add(
                    "-javaagent:" + TestEnv.agentJar() + (options == null || options.isEmpty() ? "" : "=" + options));
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            jvmArgs.add("-D" + key + "=" + value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder classpath(String cp, String mainClass) {
            this.classpath = cp;
            this.mainClass = mainClass;
            return this;
        }

        public Builder args(String... a) {
            args.addAll(List.of(a));
            return this;
        }

        /**
         * Runs a program that is not Java (Prometheus, Alertmanager) with {@link #args}, with the same
         * output capture, log file and stop semantics; JVM settings are ignored.
         */
        public Builder executable(String program) {
            this.executable = program;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public JavaProcess start() {
            List<String> command = new ArrayList<>();
            if (executable != null) {
                command.add(executable);
            } else {
                command.add(javaHome.resolve("bin/java").toString());
                command.add("-Xmx256m");
                command.add("-XX:+UseSerialGC");
                command.addAll(jvmArgs);
                if (jar != null) {
                    command.add("-jar");
                    command.add(jar.toString());
                } else {
                    command.add("-cp");
                    command.add(classpath);
                    command.add(mainClass);
                }
            }
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("VIGIL_") || k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().putAll(env);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            try {
                Path log = TestEnv.logsDir().resolve(name + "-" + System.nanoTime() + ".log");
                return new JavaProcess(name, pb.start(), log);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }
    }
}
