package dev.vigil.agent.businessmetrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One declared hook: which methods, which meter, its value and its tags. Immutable; two specs are
 * equal when they define the same thing, wherever they were written, so a reload keeps unchanged
 * hooks (and their counts) as they are.
 */
final class HookSpec {
    private final String name;
    private final MeterKind kind;
    private final MethodSelector selector;
    private final PropertyPath value;
    private final Map<String, TagSource> tags;
    private final String description;
    private final String unit;
    private final int maxSeries; // 0: the agent's default
    private final double[] buckets; // null: the default for the kind
    private final boolean histogram;
    private final double[] percentiles;
    private final String location;

    private HookSpec(Builder b) {
        this.name = requireNonNull(b.name, "name");
        this.kind = requireNonNull(b.kind, "kind");
        this.selector = b.selector;
        this.value = b.value;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        this.description = b.description;
        this.unit = b.unit;
        this.maxSeries = b.maxSeries;
        this.buckets = b.buckets;
        this.histogram = b.histogram;
        this.percentiles = b.percentiles;
        this.location = b.location;
    }

    static Builder builder(String name, MeterKind kind) {
        return new Builder(name, kind);
    }

    String name() {
        return name;
    }

    MeterKind kind() {
        return kind;
    }

    /** Null for hooks made from annotations (they know their method). */
    MethodSelector selector() {
        return selector;
    }

    PropertyPath value() {
        return value;
    }

    Map<String, TagSource> tags() {
        return tags;
    }

    String description() {
        return description;
    }

    String unit() {
        return unit;
    }

    int maxSeries() {
        return maxSeries;
    }

    double[] buckets() {
        return buckets == null ? null : buckets.clone();
    }

    boolean histogram() {
        return histogram;
    }

    double[] percentiles() {
        return percentiles == null ? null : percentiles.clone();
    }

    /** {@code vigil.yaml:12} or {@code @Timed on com.shop.X#y}, for messages. */
    String location() {
        return location;
    }

    /** True when a hook reads arguments or the return value (its advice must pass them). */
    boolean readsCallValues() {
        if (value != null) {
            return true;
        }
        for (TagSource t : tags.values()) {
            if (t.kind() == TagSource.Kind.PATH) {
                return true;
            }
        }
        return false;
    }

    /** Same meter definition: name, kind, tag keys, unit and distribution settings (shared by hooks of one metric). */
    boolean sameMeterAs(HookSpec other) {
        return name.equals(other.name)
                && kind == other.kind
                && tags.keySet().equals(other.tags.keySet())
                && Objects.equals(unit, other.unit)
                && Objects.equals(description, other.description)
                && maxSeries == other.maxSeries
                && Arrays.equals(buckets, other.buckets)
                && histogram == other.histogram
                && Arrays.equals(percentiles, other.percentiles);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HookSpec)) {
            return false;
        }
        HookSpec h = (HookSpec) o;
        return sameMeterAs(h)
                && Objects.equals(selector, h.selector)
                && Objects.equals(String.valueOf(value), String.valueOf(h.value))
                && tags.equals(h.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, selector, String.valueOf(value), tags);
    }

    @Override
    public String toString() {
        return name + " (" + kind.label() + (selector == null ? "" : " on " + selector) + ", " + location + ")";
    }

    static final class Builder {
        private final String name;
        private final MeterKind kind;
        private MethodSelector selector;
        private PropertyPath value;
        private final Map<String, TagSource> tags = new LinkedHashMap<>();
        private String description;
        private String unit;
        private int maxSeries;
        private double[] buckets;
        private boolean histogram;
        private double[] percentiles;
        private String location = "";

        private Builder(String name, MeterKind kind) {
            this.name = name;
            this.kind = kind;
        }

        Builder selector(MethodSelector s) {
            this.selector = s;
            return this;
        }

        Builder value(PropertyPath v) {
            this.value = v;
            return this;
        }

        Builder tag(String key, TagSource source) {
            tags.put(key, source);
            return this;
        }

        Builder description(String d) {
            this.description = d;
            return this;
        }

        Builder unit(String u) {
            this.unit = u;
            return this;
        }

        Builder maxSeries(int m) {
            this.maxSeries = m;
            return this;
        }

        Builder buckets(double[] b) {
            this.buckets = b == null ? null : b.clone();
            return this;
        }

        Builder histogram(boolean h) {
            this.histogram = h;
            return this;
        }

        Builder percentiles(double[] p) {
            this.percentiles = p == null ? null : p.clone();
            return this;
        }

        Builder location(String l) {
            this.location = l;
            return this;
        }

        HookSpec build() {
            return new HookSpec(this);
        }
    }
}
