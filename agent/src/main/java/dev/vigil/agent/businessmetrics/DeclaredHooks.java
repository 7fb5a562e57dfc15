package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The hooks declared in vigil.yaml, kept in step with the file: {@link #apply} instruments new
 * hooks, removes dropped ones and leaves unchanged ones (and their counts) alone.
 */
final class DeclaredHooks {
    private static final AgentLog LOG = AgentLog.get(DeclaredHooks.class);

    private final HookTable table;
    private final HookTransformers transformers;
    private final MeterRegistry registry;
    private final int defaultMaxSeries;
    private final int maxTagLength;
    private final Function<Throwable, String> errorCategory;

    /** Guarded by this. */
    private final Map<HookSpec, Entry> installed = new LinkedHashMap<>();

    private final Map<String, MetricFamily> families = new HashMap<>();

    private static final class Entry {
        final int id;
        final HookTransformers.Installed transformer;
        ActiveHook hook;

        Entry(int id, HookTransformers.Installed transformer) {
            this.id = id;
            this.transformer = transformer;
        }
    }

    DeclaredHooks(
            HookTable table,
            HookTransformers transformers,
            MeterRegistry registry,
            int defaultMaxSeries,
            int maxTagLength,
            Function<Throwable, String> errorCategory) {
        this.table = table;
        this.transformers = transformers;
        this.registry = registry;
        this.defaultMaxSeries = defaultMaxSeries;
        this.maxTagLength = maxTagLength;
        this.errorCategory = errorCategory;
    }

    /** Number of hooks in force. */
    synchronized int size() {
        return installed.size();
    }

    /** Makes {@code specs} the hooks in force; returns a one-line summary of what changed. */
    synchronized String apply(List<HookSpec> specs) {
        List<HookSpec> added = new ArrayList<>();
        for (HookSpec s : specs) {
            if (!installed.containsKey(s) && !added.contains(s)) {
                added.add(s);
            }
        }
        List<HookSpec> removed = new ArrayList<>();
        for (HookSpec s : installed.keySet()) {
            if (!specs.contains(s)) {
                removed.add(s);
            }
        }
        if (added.isEmpty() && removed.isEmpty()) {
            return "unchanged, " + installed.size() + " hooks";
        }

        // 1. Instrument the new hooks first; their numbers are not in the table yet, so their advice records nothing.
        Map<HookSpec, Entry> fresh = new LinkedHashMap<>();
        for (HookSpec s : added) {
            checkClass(s);
            int id = table.allocate();
            try {
                fresh.put(s, new Entry(id, transformers.install(s, id)));
            } catch (RuntimeException e) {
                LOG.warn("metric " + s.name() + " (" + s.location() + "): cannot instrument " + s.selector(), e);
            }
        }

        // 2. Take the removed hooks out of the table, and drop the metrics no hook uses in the same way any more.
        List<Integer> removedIds = new ArrayList<>();
        List<Entry> removedEntries = new ArrayList<>();
        for (HookSpec s : removed) {
            Entry e = installed.remove(s);
            removedIds.add(e.id);
            removedEntries.add(e);
            e.hook.close();
        }
        table.update(removedIds, new HashMap<>());
        Map<String, HookSpec> definitions = new HashMap<>();
        for (HookSpec s : specs) {
            definitions.putIfAbsent(s.name(), s);
        }
        for (java.util.Iterator<Map.Entry<String, MetricFamily>> it =
                        families.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, MetricFamily> f = it.next();
            HookSpec now = definitions.get(f.getKey());
            if (now == null || !now.sameMeterAs(f.getValue().spec())) {
                f.getValue().close();
                it.remove();
            }
        }

        // 3. Put the new hooks in force.
        Map<Integer, Object> activate = new HashMap<>();
        for (Map.Entry<HookSpec, Entry> e : fresh.entrySet()) {
            HookSpec s = e.getKey();
            MetricFamily family =
                    families.computeIfAbsent(s.name(), n -> new MetricFamily(s, registry, defaultMaxSeries));
            e.getValue().hook =
                    new ActiveHook(e.getValue().id, s, family, maxTagLength, errorCategory, registry, false);
            activate.put(e.getValue().id, e.getValue().hook);
            installed.put(s, e.getValue());
        }
        table.update(new ArrayList<>(), activate);
        for (Map.Entry<HookSpec, Entry> e : fresh.entrySet()) {
            warnIfNothingMatched(e.getKey(), e.getValue());
        }

        // 4. Retransform the classes of removed hooks back to their code without them.
        for (Entry e : removedEntries) {
            transformers.remove(e.transformer.transformer);
        }
        return installed.size() + " hooks (added " + added.size() + ", removed " + removed.size() + ")";
    }

    private void checkClass(HookSpec s) {
        String exact = s.selector().exactClassName();
        if (exact != null && !transformers.classExists(exact)) {
            LOG.warnOnce(
                    "hook-class:" + s,
                    "metric " + s.name() + " (" + s.location() + "): class " + exact
                            + " is not found by any class loader yet; the hook applies if it is loaded later",
                    null);
        }
    }

    private void warnIfNothingMatched(HookSpec s, Entry e) {
        if (e.transformer.methods.get() == 0 && s.selector().includesSubtypes()) {
            LOG.info("metric " + s.name() + " (" + s.location() + "): no loaded class matches " + s.selector()
                    + " yet; the hook applies to classes loaded later");
        }
    }
}
