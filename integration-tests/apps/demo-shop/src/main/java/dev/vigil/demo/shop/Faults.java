package dev.vigil.demo.shop;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failures the demo can switch on at run time ({@code POST /admin/faults/<name>?on=true}):
 *
 * <ul>
 *   <li>{@code slow-db}: every inventory query waits 1.5 s in the database (H2 {@code SLEEP}).
 *   <li>{@code new-bug}: a "deploy" that ships a bug: order totals are computed by a new code path
 *       that fails on some orders with an exception type and call site the service never had.
 *   <li>{@code burst-5xx}: the order endpoint fails outright with an internal error.
 * </ul>
 *
 * The payments dependency going down is not simulated here: the demo stops the real process.
 */
final class Faults {
    static final Set<String> NAMES = Set.of("slow-db", "new-bug", "burst-5xx");
    private static final Map<String, Boolean> ACTIVE = new ConcurrentHashMap<>();

    private Faults() {}

    static boolean on(String name) {
        return ACTIVE.getOrDefault(name, false);
    }

    static void set(String name, boolean on) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + NAMES);
        }
        ACTIVE.put(name, on);
    }

    static Map<String, Boolean> snapshot() {
        Map<String, Boolean> all = new java.util.TreeMap<>();
        for (String name : NAMES) {
            all.put(name, on(name));
        }
        return all;
    }
}
