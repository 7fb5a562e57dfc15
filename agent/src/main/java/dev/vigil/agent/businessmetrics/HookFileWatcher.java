package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the hooks of vigil.yaml at start and again whenever the file's content changes. The file is
 * polled (its bytes compared), which also sees editors that replace the file and Kubernetes
 * ConfigMaps that swap a symbolic link.
 *
 * <p>At start, the valid hooks of a file with problems are applied and the problems logged. On a
 * reload, a file with any problem changes nothing: the hooks in force stay, and every problem is
 * logged with its line and column, so a half-edited file never removes metrics.
 */
final class HookFileWatcher implements AutoCloseable {
    private static final AgentLog LOG = AgentLog.get(HookFileWatcher.class);

    private final Path file;
    private final DeclaredHooks hooks;
    private final Consumer<Boolean> reloadOutcome;
    private byte[] lastContent;
    private ScheduledExecutorService executor;

    HookFileWatcher(Path file, DeclaredHooks hooks, Consumer<Boolean> reloadOutcome) {
        this.file = file;
        this.hooks = hooks;
        this.reloadOutcome = reloadOutcome;
    }

    /** Applies the file's hooks now. */
    void loadInitial() {
        lastContent = read();
        HookFileParser.Result result = HookFileParser.parse(file.getFileName().toString(), text(lastContent));
        for (String error : result.errors) {
            LOG.warn("business metrics: " + error + (result.unreadable ? "" : "; this entry is skipped"));
        }
        LOG.info("business metrics from " + file + ": " + hooks.apply(result.hooks));
    }

    /** Starts polling the file for changes. */
    void watch(Duration interval) {
        executor = Executors.newSingleThreadScheduledExecutor(AgentThreads.factory("metrics-reload"));
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::checkSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException | LinkageError e) {
            LOG.warnOnce(
                    "reload-failed", "business metrics: reloading " + file + " failed; the hooks in force stay", e);
            reloadOutcome.accept(Boolean.FALSE);
        }
    }

    /** Reloads when the content changed; visible for tests. */
    void check() {
        byte[] content = read();
        if (Arrays.equals(content, lastContent)) {
            return;
        }
        lastContent = content;
        if (content == null) {
            LOG.warn("business metrics: " + file + " cannot be read any more; the " + hooks.size()
                    + " hooks in force stay");
            reloadOutcome.accept(Boolean.FALSE);
            return;
        }
        HookFileParser.Result result = HookFileParser.parse(file.getFileName().toString(), text(content));
        if (!result.errors.isEmpty()) {
            for (String error : result.errors) {
                LOG.warn("business metrics: " + error);
            }
            LOG.warn("business metrics: " + file + " has " + result.errors.size() + " problem(s); nothing was"
                    + " changed, the " + hooks.size() + " hooks in force stay until the file is fixed");
            reloadOutcome.accept(Boolean.FALSE);
            return;
        }
        LOG.info("business metrics reloaded from " + file + ": " + hooks.apply(result.hooks));
        reloadOutcome.accept(Boolean.TRUE);
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(byte[] content) {
        return content == null ? "" : new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
