package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable, sorted label set. The identity of an alert is its label set, so {@link #id()} is a
 * stable hash of the sorted pairs: the same labels give the same id across restarts and releases.
 */
public final class Labels {
    private static final Labels EMPTY = new Labels(new TreeMap<>());

    private final SortedMap<String, String> map;

    private Labels(SortedMap<String, String> map) {
        this.map = Collections.unmodifiableSortedMap(map);
    }

    public static Labels empty() {
        return EMPTY;
    }

    public static Labels of(Map<String, String> labels) {
        requireNonNull(labels, "labels");
        return new Labels(new TreeMap<>(labels));
    }

    public static Labels of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs must be name, value, name, value...");
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new Labels(map);
    }

    /** A missing label reads as the empty string, as in Prometheus. */
    public String get(String name) {
        String value = map.get(name);
        return value == null ? "" : value;
    }

    public Map<String, String> asMap() {
        return map;
    }

    public Labels with(String name, String value) {
        TreeMap<String, String> copy = new TreeMap<>(map);
        copy.put(name, value);
        return new Labels(copy);
    }

    /** These labels with {@code other}'s pairs added; {@code other} wins on a clash. */
    public Labels merge(Labels other) {
        TreeMap<String, String> copy = new TreeMap<>(map);
        copy.putAll(other.map);
        return new Labels(copy);
    }

    /** Only the named labels (missing ones are left out). */
    public Labels select(Iterable<String> names) {
        TreeMap<String, String> copy = new TreeMap<>();
        for (String name : names) {
            String value = map.get(name);
            if (value != null) {
                copy.put(name, value);
            }
        }
        return new Labels(copy);
    }

    /** 16 hex digits of SHA-256 over the sorted pairs: short enough for URLs, long enough not to clash. */
    public String id() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : map.entrySet()) {
                digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && map.equals(other.map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
