package dev.vigil.collector;

import dev.vigil.collector.config.ConfigNode;
import dev.vigil.collector.store.Migration;
import java.util.List;
import java.util.Set;

/**
 * A part of the collector built on its state (the alert rules, the notifier, runbooks). The
 * collector calls, in this order: {@link #configSections} and {@link #configure} while loading the
 * configuration (also for {@code validate --config}), {@link #migrations} before opening the
 * database, {@link #start} once the state is open and before the ports accept traffic, and
 * {@link #close} at shutdown, in reverse order of start. Features are listed in
 * {@link Collector#features()}.
 */
public interface CollectorFeature extends AutoCloseable {
    /** Top-level configuration keys this feature owns (e.g. {@code rules}, {@code notify}). */
    default Set<String> configSections() {
        return Set.of();
    }

    /**
     * Reads and checks its sections from the configuration root; reports problems with
     * {@link ConfigNode#problemAt} (they carry file and line) rather than throwing. Called once
     * per load, before {@link #start}.
     */
    default void configure(ConfigNode root) {}

    /** Its schema steps (alerts and notifications use versions 100–199). */
    default List<Migration> migrations() {
        return List.of();
    }

    /** Starts: registers routes, listeners and meters, starts its threads. */
    void start(CollectorContext context) throws Exception;

    /** Stops its threads; must not throw. */
    @Override
    default void close() {}
}
