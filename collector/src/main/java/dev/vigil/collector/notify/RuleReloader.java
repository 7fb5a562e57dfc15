package dev.vigil.collector.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.rules.Evaluator;
import dev.vigil.collector.rules.RuleFileLoader;
import dev.vigil.collector.rules.RuleLoadException;
import dev.vigil.collector.rules.RuleProblem;
import dev.vigil.collector.rules.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the rules when a rule or runbook file changes (polled) or on {@code POST /api/reload}.
 * An invalid set never replaces the running one: the problems are logged, counted and returned.
 */
public final class RuleReloader {
    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    private final RuleFileLoader loader;
    private final Path runbookDir;
    private final Evaluator evaluator;
    private final SelfMetrics metrics;
    private final Clock clock;
    private Map<String, Long> lastSeen;
    private volatile Result last;

    /** Outcome of a reload. */
    public record Result(boolean ok, int rules, List<String> problems, Instant at, String trigger) {
        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", ok ? "reloaded" : "invalid; the previous rules stay active");
            m.put("rules", rules);
            m.put("problems", problems);
            m.put("at", at.toString());
            m.put("trigger", trigger);
            return m;
        }
    }

    public RuleReloader(RuleFileLoader loader, Path runbookDir, Evaluator evaluator, SelfMetrics metrics, Clock clock) {
        this.loader = requireNonNull(loader, "loader");
        this.runbookDir = requireNonNull(runbookDir, "runbookDir");
        this.evaluator = requireNonNull(evaluator, "evaluator");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.lastSeen = fingerprint();
    }

    /** Reloads now. */
    public synchronized Result reload(String trigger) {
        lastSeen = fingerprint();
        Instant now = clock.instant();
        try {
            RuleSet set = loader.load();
            evaluator.replaceRules(set);
            LOG.info("rules reloaded ({}): {} rules", trigger, set.rules().size());
            last = new Result(true, set.rules().size(), List.of(), now, trigger);
        } catch (RuleLoadException e) {
            metrics.reloadFailed();
            List<String> problems = new ArrayList<>();
            for (RuleProblem p : e.problems()) {
                problems.add(p.toString());
            }
            LOG.error(
                    "rule reload ({}) rejected, the previous {} rules stay active: {}",
                    trigger,
                    evaluator.rules().rules().size(),
                    e.getMessage());
            last = new Result(false, evaluator.rules().rules().size(), problems, now, trigger);
        }
        return last;
    }

    /** Reloads if a file changed since the last look; called periodically. */
    public synchronized void checkForChanges() {
        Map<String, Long> now = fingerprint();
        if (!now.equals(lastSeen)) {
            reload("file change");
        }
    }

    public Result last() {
        return last;
    }

    /** Names, sizes and modification times of the rule and runbook files. */
    private Map<String, Long> fingerprint() {
        Map<String, Long> out = new TreeMap<>();
        for (Path dir : List.of(loader.dir(), runbookDir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        out.put(f.toString(), Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f));
                    } catch (IOException e) {
                        out.put(f.toString(), -1L);
                    }
                });
            } catch (IOException e) {
                out.put(dir.toString(), -1L);
            }
        }
        return out;
    }
}
