package dev.vigil.collector.notify;

import dev.vigil.collector.rules.AlertsDatabase;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.LabelMatcher;
import dev.vigil.collector.rules.Labels;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Silences in Alertmanager's model, persisted; a silenced alert is not sent to routed receivers. */
public final class Silences {
    private final AlertsDatabase db;
    private volatile List<Silence> cache;

    /** One silence. */
    public record Silence(
            String id,
            List<LabelMatcher> matchers,
            Instant startsAt,
            Instant endsAt,
            String createdBy,
            String comment) {
        public Silence {
            matchers = List.copyOf(matchers);
        }

        public boolean activeAt(Instant now) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt);
        }

        public String status(Instant now) {
            return now.isBefore(startsAt) ? "pending" : now.isBefore(endsAt) ? "active" : "expired";
        }

        boolean matches(Labels labels) {
            return LabelMatcher.matchesAll(matchers, labels);
        }
    }

    public Silences(AlertsDatabase db) throws SQLException {
        this.db = db;
        this.cache = load();
    }

    /**
     * Adds a silence.
     *
     * @throws IllegalArgumentException if it would never end, or would silence everything
     */
    public Silence create(
            List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment)
            throws SQLException {
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        boolean selective = false;
        for (LabelMatcher m : matchers) {
            selective |= !m.matches(Labels.empty());
        }
        if (!selective) {
            throw new IllegalArgumentException("at least one matcher must not match the empty string,"
                    + " or the silence would silence every alert");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy is required");
        }
        Silence s = new Silence(
                UUID.randomUUID().toString(), matchers, startsAt, endsAt, createdBy, comment == null ? "" : comment);
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO silences VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, s.id());
                p.setString(2, Json.write(toMaps(matchers)));
                p.setLong(3, startsAt.toEpochMilli());
                p.setLong(4, endsAt.toEpochMilli());
                p.setString(5, createdBy);
                p.setString(6, s.comment());
                p.setLong(7, System.currentTimeMillis());
                return p.executeUpdate();
            }
        });
        cache = load();
        return s;
    }

    /** Ends a silence now; false if there is none with that id or it already ended. */
    public boolean expire(String id, Instant now) throws SQLException {
        int n = db.inTransaction(c -> {
            try (PreparedStatement p =
                    c.prepareStatement("UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?")) {
                p.setLong(1, now.toEpochMilli());
                p.setString(2, id);
                p.setLong(3, now.toEpochMilli());
                return p.executeUpdate();
            }
        });
        cache = load();
        return n == 1;
    }

    public List<Silence> all() {
        return cache;
    }

    /** The first active silence that matches, or null. */
    public Silence silencing(Labels labels, Instant now) {
        for (Silence s : cache) {
            if (s.activeAt(now) && s.matches(labels)) {
                return s;
            }
        }
        return null;
    }

    static List<Map<String, Object>> toMaps(List<LabelMatcher> matchers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.name());
            e.put("value", m.value());
            e.put("isRegex", m.isRegex());
            e.put("isEqual", m.isEqual());
            out.add(e);
        }
        return out;
    }

    private List<Silence> load() throws SQLException {
        return db.read(c -> {
            List<Silence> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM silences ORDER BY created_at");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    List<LabelMatcher> matchers = new ArrayList<>();
                    try {
                        for (Map<?, ?> m : Json.MAPPER.readValue(rs.getString("matchers"), Map[].class)) {
                            matchers.add(LabelMatcher.create(
                                    String.valueOf(m.get("name")),
                                    String.valueOf(m.get("value")),
                                    Boolean.TRUE.equals(m.get("isRegex")),
                                    !Boolean.FALSE.equals(m.get("isEqual"))));
                        }
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new SQLException("damaged silence " + rs.getString("id") + ": " + e.getMessage(), e);
                    }
                    out.add(new Silence(
                            rs.getString("id"),
                            matchers,
                            Instant.ofEpochMilli(rs.getLong("starts_at")),
                            Instant.ofEpochMilli(rs.getLong("ends_at")),
                            rs.getString("created_by"),
                            rs.getString("comment")));
                }
            }
            return List.copyOf(out);
        });
    }
}
