package dev.vigil.collector.store;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * One step of the schema, applied once and recorded in {@code schema_version}. Each feature owns a
 * range of versions so features can add steps independently: store, errors and instances use
 * 1–99, alerts and notifications 100–199. A step may only rely on earlier steps of its own
 * feature, since steps of different features are applied in version order whatever their age.
 *
 * @param version unique, positive; never reuse or renumber a released version
 * @param description what the step does, recorded beside the version
 * @param sql the statements, run in one transaction with the version row
 */
public record Migration(int version, String description, String... sql) {
    public Migration {
        requireNonNull(description, "description");
        requireNonNull(sql, "sql");
        if (version <= 0) {
            throw new IllegalArgumentException("migration version must be positive: " + version);
        }
        if (sql.length == 0) {
            throw new IllegalArgumentException("migration " + version + " has no statement");
        }
        sql = sql.clone();
    }

    /** The statements, in order. */
    public List<String> statements() {
        return List.of(sql);
    }

    @Override
    public String[] sql() {
        return sql.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Migration m
                && m.version == version
                && m.description.equals(description)
                && Arrays.equals(m.sql, sql);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(version) + Arrays.hashCode(sql);
    }

    @Override
    public String toString() {
        return "Migration[" + version + " " + description + "]";
    }
}
