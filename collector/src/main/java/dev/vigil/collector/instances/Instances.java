package dev.vigil.collector.instances;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import dev.vigil.collector.store.StableId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Heartbeats: every service instance that sends anything (service.name + service.instance.id +
 * host.name of the resource), with when it was first and last heard from and its agent version.
 *
 * <p>{@link #seen} is on the ingest path, so it only updates memory; {@link #flush} (every few
 * seconds, and at shutdown) writes what changed. A {@code kill -9} can therefore lose the last few
 * seconds of "last seen" times, never an instance that was flushed: the next report brings it
 * back anyway.
 *
 * <p>Graceful stop: an agent that shuts down sends a log record with event name
 * {@code vigil.agent.stopped}; the instance is then {@link InstanceState#STOPPED} rather than
 * silent (see docs/collector.md).
 */
public final class Instances {
    /** Schema of instances (version 20 of the store's 1–99). */
    public static final List<Migration> MIGRATIONS = List.of(new Migration(
            20,
            "service instances (heartbeats)",
            "CREATE TABLE instances ("
                    + " id TEXT PRIMARY KEY,"
                    + " service TEXT NOT NULL,"
                    + " instance_id TEXT NOT NULL,"
                    + " host TEXT,"
                    + " agent_version TEXT,"
                    + " first_seen INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL,"
                    + " stopped_at INTEGER)",
            "CREATE INDEX instances_service ON instances(service)"));

    static final int MAX_FIELD = 256;

    private final Database db;
    private final Clock clock;
    private final Duration silentAfter;
    private final Duration forgetAfter;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock flushLock = new ReentrantLock();

    private Instances(Builder b) {
        this.db = b.db;
        this.clock = b.clock;
        this.silentAfter = b.silentAfter;
        this.forgetAfter = b.forgetAfter;
        load();
        MeterRegistry r = b.registry != null ? b.registry : new SimpleMeterRegistry();
        for (InstanceState s : InstanceState.values()) {
            Gauge.builder("vigil.collector.instances", this, i -> i.countIn(s))
                    .tag("state", s.label())
                    .description("Known service instances by state")
                    .register(r);
        }
    }

    public static Builder builder(Database db) {
        return new Builder(db);
    }

    /** The API id of an instance: the first 16 hex digits of SHA-256 of service and instance id. */
    public static String instanceKey(String service, String instanceId) {
        return StableId.of(service, instanceId);
    }

    /**
     * How long after its stop record an instance's own final flushes may still arrive. A report later
     * than this means the instance (same service, instance id and host) is running again.
     */
    static final long FINAL_FLUSH_GRACE_MILLIS = 10_000;

    /** The instance sent something now. Cheap: memory only. */
    public void seen(Heartbeat hb) {
        long now = clock.millis();
        Entry e = entry(hb, now);
        e.lock.lock();
        try {
            e.lastSeen = Math.max(e.lastSeen, now);
            if (hb.host() != null) {
                e.host = cap(hb.host());
            }
            if (hb.agentVersion() != null) {
                e.agentVersion = cap(hb.agentVersion());
            }
            e.version++;
        } finally {
            e.lock.unlock();
        }
    }

    /** The instance's agent reported a graceful shutdown. */
    public void stopped(Heartbeat hb) {
        long now = clock.millis();
        Entry e = entry(hb, now);
        e.lock.lock();
        try {
            e.lastSeen = Math.max(e.lastSeen, now);
            e.stoppedAt = now;
            e.version++;
        } finally {
            e.lock.unlock();
        }
    }

    /** All instances, by service then instance id. */
    public List<Instance> list() {
        long now = clock.millis();
        List<Instance> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(e.snapshot(now, silentAfter.toMillis()));
        }
        out.sort(Comparator.comparing(Instance::service).thenComparing(Instance::instanceId));
        return out;
    }

    public Optional<Instance> get(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.snapshot(clock.millis(), silentAfter.toMillis()));
    }

    /** Forgets an instance (an operator knows it is gone for good); false if unknown. */
    public boolean forget(String id) {
        flushLock.lock();
        try {
            Entry removed = entries.remove(id);
            int deleted = db.write(c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM instances WHERE id = ?")) {
                    p.setString(1, id);
                    return p.executeUpdate();
                }
            });
            return removed != null || deleted > 0;
        } finally {
            flushLock.unlock();
        }
    }

    public Duration silentAfter() {
        return silentAfter;
    }

    /** Writes the instances that changed since the last flush. */
    public void flush() {
        flushLock.lock();
        try {
            List<Entry> dirty = new ArrayList<>();
            List<Instance> rows = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            long now = clock.millis();
            for (Entry e : entries.values()) {
                e.lock.lock();
                try {
                    if (e.version != e.flushedVersion) {
                        dirty.add(e);
                        rows.add(e.snapshot(now, silentAfter.toMillis()));
                        versions.add(e.version);
                    }
                } finally {
                    e.lock.unlock();
                }
            }
            if (dirty.isEmpty()) {
                return;
            }
            db.write(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO instances(id, service, instance_id, host,"
                        + " agent_version, first_seen, last_seen, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT(id) DO UPDATE SET host = excluded.host, agent_version = excluded.agent_version,"
                        + " last_seen = excluded.last_seen, stopped_at = excluded.stopped_at")) {
                    for (Instance i : rows) {
                        p.setString(1, i.id());
                        p.setString(2, i.service());
                        p.setString(3, i.instanceId());
                        p.setString(4, i.host());
                        p.setString(5, i.agentVersion());
                        p.setLong(6, i.firstSeen().toEpochMilli());
                        p.setLong(7, i.lastSeen().toEpochMilli());
                        if (i.stoppedAt() == null) {
                            p.setNull(8, Types.INTEGER);
                        } else {
                            p.setLong(8, i.stoppedAt().toEpochMilli());
                        }
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                return null;
            });
            for (int i = 0; i < dirty.size(); i++) {
                dirty.get(i).flushedVersion = versions.get(i);
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** Forgets instances not heard from for {@code forget_after}. */
    public void maintain() {
        long cutoff = clock.millis() - forgetAfter.toMillis();
        for (Entry e : entries.values()) {
            if (e.lastSeen < cutoff) {
                forget(e.id);
            }
        }
    }

    private long countIn(InstanceState state) {
        long now = clock.millis();
        return entries.values().stream()
                .filter(e -> e.snapshot(now, silentAfter.toMillis()).state() == state)
                .count();
    }

    private Entry entry(Heartbeat hb, long now) {
        String id = instanceKey(hb.service(), hb.instanceId());
        Entry e = entries.get(id);
        if (e != null) {
            return e;
        }
        return entries.computeIfAbsent(id, k -> new Entry(k, cap(hb.service()), cap(hb.instanceId()), now));
    }

    private static String cap(String s) {
        return s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) : s;
    }

    private void load() {
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, service, instance_id, host, agent_version,"
                            + " first_seen, last_seen, stopped_at FROM instances");
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Entry e = new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(6));
                    e.host = rs.getString(4);
                    e.agentVersion = rs.getString(5);
                    e.lastSeen = rs.getLong(7);
                    long stopped = rs.getLong(8);
                    e.stoppedAt = rs.wasNull() ? 0 : stopped;
                    entries.put(e.id, e);
                }
            }
            return null;
        });
    }

    private static final class Entry {
        final String id;
        final String service;
        final String instanceId;
        final long firstSeen;
        final ReentrantLock lock = new ReentrantLock();
        String host;
        String agentVersion;
        volatile long lastSeen;
        long stoppedAt;
        long version;
        long flushedVersion;

        Entry(String id, String service, String instanceId, long firstSeen) {
            this.id = id;
            this.service = service;
            this.instanceId = instanceId;
            this.firstSeen = firstSeen;
            this.lastSeen = firstSeen;
        }

        Instance snapshot(long now, long silentAfterMillis) {
            lock.lock();
            try {
                InstanceState state;
                // Telemetry flushed by the stopping process itself (its last spans and metrics, sent
                // after the stop record) arrives just after stoppedAt and does not revive it.
                if (stoppedAt > 0 && lastSeen - stoppedAt <= FINAL_FLUSH_GRACE_MILLIS) {
                    state = InstanceState.STOPPED;
                } else if (now - lastSeen > silentAfterMillis) {
                    state = InstanceState.SILENT;
                } else {
                    state = InstanceState.REPORTING;
                }
                return new Instance(
                        id,
                        service,
                        instanceId,
                        host,
                        agentVersion,
                        Instant.ofEpochMilli(firstSeen),
                        Instant.ofEpochMilli(lastSeen),
                        stoppedAt > 0 ? Instant.ofEpochMilli(stoppedAt) : null,
                        state);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Options of {@link Instances}. */
    public static final class Builder {
        private final Database db;
        private Clock clock = Clock.systemUTC();
        private Duration silentAfter = Duration.ofMinutes(2);
        private Duration forgetAfter = Duration.ofDays(7);
        private MeterRegistry registry;

        private Builder(Database db) {
            this.db = requireNonNull(db, "db");
        }

        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        /** No report for this long makes an instance SILENT in the API. */
        public Builder silentAfter(Duration d) {
            this.silentAfter = requireNonNull(d, "silentAfter");
            return this;
        }

        /** No report for this long removes the instance. */
        public Builder forgetAfter(Duration d) {
            this.forgetAfter = requireNonNull(d, "forgetAfter");
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            this.registry = requireNonNull(r, "registry");
            return this;
        }

        /** Loads the known instances from the database. */
        public Instances build() {
            return new Instances(this);
        }
    }
}
