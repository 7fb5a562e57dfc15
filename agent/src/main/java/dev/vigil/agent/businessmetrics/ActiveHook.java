package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;

/**
 * A hook in force: its meter family, how to compute its tag values and value from a call, and the
 * counters of what could not be read. {@link #record} never throws to the caller's code path.
 */
final class ActiveHook {
    private static final AgentLog LOG = AgentLog.get(ActiveHook.class);
    static final String UNKNOWN = "unknown";
    private static final String[] NO_TAGS = new String[0];

    private final int id;
    private final HookSpec spec;
    private final MetricFamily family;
    private final TagSource[] sources;
    private final String[] sourceNames;
    private final PropertyPath value;
    private final boolean timed;
    private final MeterKind kind;
    private final boolean failuresOnly;
    private final int maxTagLength;
    private final Function<Throwable, String> errorCategory;
    private final MeterRegistry registry;
    /** Per tag (then the value), per reason: created on first use. */
    private final Counter[][] unresolved;

    ActiveHook(
            int id,
            HookSpec spec,
            MetricFamily family,
            int maxTagLength,
            Function<Throwable, String> errorCategory,
            MeterRegistry registry,
            boolean failuresOnly) {
        this.id = id;
        this.spec = spec;
        this.family = family;
        this.sources = spec.tags().values().toArray(new TagSource[0]);
        this.sourceNames = spec.tags().keySet().toArray(new String[0]);
        this.value = spec.value();
        this.kind = spec.kind();
        this.timed = kind == MeterKind.TIMER;
        this.failuresOnly = failuresOnly;
        this.maxTagLength = maxTagLength;
        this.errorCategory = errorCategory;
        this.registry = registry;
        this.unresolved = new Counter[sources.length + 1][Reason.values().length];
    }

    int id() {
        return id;
    }

    HookSpec spec() {
        return spec;
    }

    MetricFamily family() {
        return family;
    }

    /** Why a tag or value could not be read; the {@code reason} label of {@code vigil_agent_metric_unresolved_total}. */
    enum Reason {
        UNRESOLVED("unresolved"),
        NULL("null"),
        NOT_NUMERIC("not_numeric");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    void record(long startNanos, Object[] arguments, Object returned, Throwable thrown) {
        if (failuresOnly && thrown == null) {
            return;
        }
        long end = timed ? System.nanoTime() : 0;
        String[] tags = tagValues(arguments, returned, thrown);
        switch (kind) {
            case COUNTER:
                if (value == null) {
                    family.count(tags, 1);
                } else {
                    double amount = number(value.evaluate(arguments, returned), sources.length);
                    if (!Double.isNaN(amount)) {
                        family.count(tags, amount);
                    }
                }
                break;
            case TIMER:
                family.time(tags, end - startNanos);
                break;
            case DISTRIBUTION:
            case GAUGE:
                double v = number(value.evaluate(arguments, returned), sources.length);
                if (!Double.isNaN(v)) {
                    family.observe(tags, v);
                }
                break;
            default:
                break;
        }
    }

    private String[] tagValues(Object[] arguments, Object returned, Throwable thrown) {
        if (sources.length == 0) {
            return NO_TAGS;
        }
        String[] out = new String[sources.length];
        for (int i = 0; i < sources.length; i++) {
            TagSource s = sources[i];
            switch (s.kind()) {
                case OUTCOME:
                    out[i] = thrown == null ? "success" : "error";
                    break;
                case RESULT:
                    out[i] = thrown == null ? "success" : "failure";
                    break;
                case ERROR_CATEGORY:
                    out[i] = thrown == null ? TagSource.NONE : cap(errorCategory.apply(thrown));
                    break;
                case ERROR_TYPE:
                    out[i] = thrown == null ? TagSource.NONE : cap(simpleName(thrown.getClass()));
                    break;
                case CONSTANT:
                    out[i] = cap(s.constantValue());
                    break;
                case PATH:
                    Object v = s.path().evaluate(arguments, returned);
                    if (v == PropertyPath.UNRESOLVED || v == null) {
                        unresolved(i, v == null ? Reason.NULL : Reason.UNRESOLVED, arguments, returned, s.path());
                        out[i] = UNKNOWN;
                    } else {
                        out[i] = cap(text(v));
                    }
                    break;
                default:
                    out[i] = UNKNOWN;
            }
        }
        return out;
    }

    /** The value as a number, or NaN (counted and logged once) when it is missing or not a number. */
    private double number(Object v, int slot) {
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (!Double.isNaN(d)) {
                return d;
            }
        }
        Reason reason = v == null ? Reason.NULL : v == PropertyPath.UNRESOLVED ? Reason.UNRESOLVED : Reason.NOT_NUMERIC;
        counter(slot, reason).increment();
        LOG.warnOnce(
                "hook-value:" + spec.name() + ":" + reason,
                "metric " + spec.name() + " (" + spec.location() + "): value '" + value + "' "
                        + (reason == Reason.NOT_NUMERIC
                                ? "is a " + v.getClass().getName() + ", not a number"
                                : reason == Reason.NULL ? "is null" : "does not resolve")
                        + "; the call is not recorded",
                null);
        return Double.NaN;
    }

    private void unresolved(int slot, Reason reason, Object[] arguments, Object returned, PropertyPath path) {
        counter(slot, reason).increment();
        if (LOG.isDebugEnabled() || reason == Reason.UNRESOLVED) {
            Object root = path.root() == PropertyPath.Root.RETURN
                    ? returned
                    : arguments != null && path.argument() < arguments.length ? arguments[path.argument()] : null;
            LOG.warnOnce(
                    "hook-tag:" + spec.name() + ":" + sourceNames[slot] + ":" + reason,
                    "metric " + spec.name() + " (" + spec.location() + "): tag " + sourceNames[slot] + " = '" + path
                            + "' "
                            + (reason == Reason.NULL ? "is null" : "does not resolve")
                            + (root == null ? "" : " on " + root.getClass().getName())
                            + "; recorded as '" + UNKNOWN + "'",
                    null);
        }
    }

    private Counter counter(int slot, Reason reason) {
        Counter c = unresolved[slot][reason.ordinal()];
        if (c == null) {
            c = Counter.builder("vigil.agent.metric.unresolved")
                    .tag("metric", spec.name())
                    .tag("source", slot < sourceNames.length ? sourceNames[slot] : "value")
                    .tag("reason", reason.label)
                    .description("Business metric tags recorded as 'unknown', and values not recorded, because their"
                            + " path did not resolve, was null or (values) was not a number")
                    .register(registry);
            unresolved[slot][reason.ordinal()] = c;
        }
        return c;
    }

    private String cap(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        if (s.length() <= maxTagLength) {
            return s;
        }
        int end = maxTagLength;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String text(Object v) {
        if (v instanceof Enum) {
            return ((Enum<?>) v).name();
        }
        try {
            return String.valueOf(v);
        } catch (RuntimeException e) {
            return UNKNOWN; // a toString() that throws
        }
    }

    static String simpleName(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple;
    }

    /** Removes this hook's own counters (the hook was removed or changed). */
    void close() {
        for (Counter[] row : unresolved) {
            for (Counter c : row) {
                if (c != null) {
                    registry.remove(c);
                }
            }
        }
    }
}
