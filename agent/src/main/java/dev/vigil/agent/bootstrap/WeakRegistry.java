package dev.vigil.agent.bootstrap;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Values attached to objects the agent cannot add a field to (a prepared statement's SQL, an
 * HttpURLConnection's request), held weakly so that an object the application drops takes its
 * entry with it. Striped by identity hash so that threads working on different objects rarely
 * contend for the same lock.
 */
public final class WeakRegistry<V> {
    private static final int STRIPES = 16;

    private final Map<Object, V>[] stripes;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public WeakRegistry() {
        stripes = new Map[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new WeakHashMap<>();
        }
    }

    private Map<Object, V> stripe(Object key) {
        return stripes[System.identityHashCode(key) & (STRIPES - 1)];
    }

    public V get(Object key) {
        if (key == null) {
            return null;
        }
        Map<Object, V> m = stripe(key);
        synchronized (m) {
            return m.get(key);
        }
    }

    public void put(Object key, V value) {
        if (key == null) {
            return;
        }
        Map<Object, V> m = stripe(key);
        synchronized (m) {
            m.put(key, value);
        }
    }

    public V remove(Object key) {
        if (key == null) {
            return null;
        }
        Map<Object, V> m = stripe(key);
        synchronized (m) {
            return m.remove(key);
        }
    }
}
