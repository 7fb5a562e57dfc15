package dev.vigil.collector.errors;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.errors.ErrorFingerprint;
import dev.vigil.agent.errors.ExceptionInfo;
import dev.vigil.agent.errors.InAppPolicy;
import dev.vigil.agent.errors.StackTraceText;
import dev.vigil.collector.store.Database;
import dev.vigil.collector.store.Migration;
import dev.vigil.collector.store.StableId;
import dev.vigil.collector.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error groups: every failure seen in the telemetry, grouped by service and fingerprint, with
 * counts per minute, kept in the state database.
 *
 * <p>{@link #record} is durable: its future completes only after the occurrences are committed,
 * so ingest acknowledges a request only once nothing of it can be lost (a {@code kill -9} after
 * that keeps every group and count). All changes go through one writer thread that commits
 * batches from many requests together (one fsync for many requests); the queue in front of it is
 * bounded, and a full queue fails the future at once so the sender retries later.
 *
 * <p>Queries read the last committed state.
 */
public final class ErrorGroups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ErrorGroups.class);

    /** Schema of error groups (versions 10–19 of the store's 1–99). */
    public static final List<Migration> MIGRATIONS = List.of(new Migration(
            10,
            "error groups and per-minute counts",
            "CREATE TABLE error_groups ("
                    + " id TEXT PRIMARY KEY,"
                    + " service TEXT NOT NULL,"
                    + " fingerprint TEXT NOT NULL,"
                    + " type TEXT NOT NULL,"
                    + " message TEXT,"
                    + " category TEXT,"
                    + " retryable INTEGER,"
                    + " first_seen INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL,"
                    + " count INTEGER NOT NULL,"
                    + " status TEXT NOT NULL,"
                    + " status_changed_at INTEGER NOT NULL,"
                    + " stack_trace TEXT,"
                    + " trace_ids TEXT NOT NULL,"
                    + " log_lines TEXT NOT NULL,"
                    + " UNIQUE (service, fingerprint))",
            "CREATE INDEX error_groups_last_seen ON error_groups(last_seen)",
            "CREATE TABLE error_counts ("
                    + " group_id TEXT NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,"
                    + " minute INTEGER NOT NULL,"
                    + " count INTEGER NOT NULL,"
                    + " PRIMARY KEY (group_id, minute)) WITHOUT ROWID",
            "CREATE INDEX error_counts_minute ON error_counts(minute)"));

    static final int MAX_TYPE = 512;
    static final int MAX_MESSAGE = 2048;
    static final int MAX_STACK_TRACE = 32 * 1024;
    static final int MAX_LOG_LINE = 2048;
    static final int RECENT = 5;
    private static final long MINUTE = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private final Database db;
    private final Clock clock;
    private final InAppPolicy inApp;
    private final Duration newPeriod;
    private final Duration resolveAfter;
    private final Duration countRetention;
    private final int maxGroups;
    private final int queueCapacity;
    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final List<ErrorGroupListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, GroupState> groups = new HashMap<>(); // writer thread only, after load
    private final Counter occurrences;
    private final Counter droppedGroupLimit;
    private final Counter rejectedQueueFull;
    private final Thread writer;
    private volatile boolean stopping;

    private ErrorGroups(Builder b) {
        this.db = b.db;
        this.clock = b.clock;
        this.inApp = b.inApp;
        this.newPeriod = b.newPeriod;
        this.resolveAfter = b.resolveAfter;
        this.countRetention = b.countRetention;
        this.maxGroups = b.maxGroups;
        this.queueCapacity = b.queueCapacity;
        MeterRegistry r = b.registry != null ? b.registry : new SimpleMeterRegistry();
        this.occurrences = Counter.builder("vigil.collector.errors.occurrences")
                .description("Error occurrences committed to error groups")
                .register(r);
        this.droppedGroupLimit = Counter.builder("vigil.collector.errors.dropped")
                .tag("reason", "group_limit")
                .description("Error occurrences not kept: a new group beyond errors.max_groups")
                .register(r);
        this.rejectedQueueFull = Counter.builder("vigil.collector.errors.dropped")
                .tag("reason", "queue_full")
                .description("Error occurrences refused because the writer queue was full (the sender retries)")
                .register(r);
        Gauge.builder("vigil.collector.errors.queue", queued, AtomicInteger::get)
                .description("Error occurrences waiting for the database writer")
                .register(r);
        load();
        Gauge.builder("vigil.collector.errors.groups", this, g -> g.groupCount)
                .description("Error groups in the state database")
                .register(r);
        this.writer = new Thread(this::runWriter, "vigil-errors-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private volatile int groupCount;

    public static Builder builder(Database db) {
        return new Builder(db);
    }

    public void addListener(ErrorGroupListener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Adds occurrences to their groups. The future completes when they are committed, or fails
     * with {@link StoreException} (database failure) or {@link ErrorGroupsBusyException} (queue
     * full, or shutting down): then nothing of this call was kept.
     */
    public CompletableFuture<Void> record(List<ErrorOccurrence> occurrences) {
        if (occurrences.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (stopping) {
            done.completeExceptionally(new ErrorGroupsBusyException("the collector is stopping"));
            return done;
        }
        int n = occurrences.size();
        if (queued.addAndGet(n) > queueCapacity) {
            queued.addAndGet(-n);
            rejectedQueueFull.increment(n);
            done.completeExceptionally(new ErrorGroupsBusyException("error writer queue is full"));
            return done;
        }
        queue.add(new Command.Record(List.copyOf(occurrences), done));
        return done;
    }

    /** Sets a group's status (an operator action): RESOLVED, IGNORED, or ONGOING to reopen. */
    public CompletableFuture<Optional<ErrorGroup>> setStatus(String id, ErrorStatus status) {
        if (status == ErrorStatus.NEW || status == ErrorStatus.REGRESSED) {
            throw new IllegalArgumentException("status " + status.label() + " is set by the collector, not by hand");
        }
        CompletableFuture<Optional<ErrorGroup>> done = new CompletableFuture<>();
        queue.add(new Command.SetStatus(id, status, done));
        return done;
    }

    /** Prunes old counts and auto-resolves silent groups; the collector runs it every minute. */
    public CompletableFuture<Void> maintain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Command.Maintain(done));
        return done;
    }

    // ---- queries (committed state) --------------------------------------------------------

    /** Groups, most recently seen first, optionally of one service and/or (effective) status. */
    public List<ErrorGroup> list(String service, ErrorStatus status, int limit) {
        long now = clock.millis();
        Map<String, Long> lastHour = countsSince(now - 60 * MINUTE);
        List<ErrorGroup> out = new ArrayList<>();
        for (GroupState s : readGroups(service == null ? null : "service = ?", service)) {
            ErrorGroup g = s.toGroup(lastHour.getOrDefault(s.id, 0L), effectiveStatus(s, now));
            if (status == null || g.status() == status) {
                out.add(g);
            }
        }
        out.sort(Comparator.comparing(ErrorGroup::lastSeen).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    public Optional<ErrorGroup> get(String id) {
        List<GroupState> found = readGroups("id = ?", id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        GroupState s = found.get(0);
        return Optional.of(s.toGroup(
                count(id, Instant.ofEpochMilli(now - 60 * MINUTE), Instant.ofEpochMilli(now + MINUTE)),
                effectiveStatus(s, now)));
    }

    /** The group of a service and fingerprint. */
    public Optional<ErrorGroup> find(String service, String fingerprint) {
        return get(groupId(service, fingerprint));
    }

    /**
     * Occurrences per group with a time in {@code [from, to)}, at minute resolution (a minute
     * counts when it starts in the range). Groups with none are absent.
     */
    public Map<String, Long> countsInWindow(Instant from, Instant to) {
        long a = Math.floorDiv(from.toEpochMilli() + MINUTE - 1, MINUTE);
        long b = Math.floorDiv(to.toEpochMilli() + MINUTE - 1, MINUTE);
        return db.read(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT group_id, SUM(count) FROM error_counts WHERE minute >= ? AND minute < ? GROUP BY group_id")) {
                p.setLong(1, a);
                p.setLong(2, b);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Occurrences of one group in {@code [from, to)} (minute resolution). */
    public long count(String id, Instant from, Instant to) {
        long a = Math.floorDiv(from.toEpochMilli() + MINUTE - 1, MINUTE);
        long b = Math.floorDiv(to.toEpochMilli() + MINUTE - 1, MINUTE);
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COALESCE(SUM(count), 0) FROM error_counts WHERE group_id = ? AND minute >= ? AND minute < ?")) {
                p.setString(1, id);
                p.setLong(2, a);
                p.setLong(3, b);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** The API id of a group: the first 16 hex digits of SHA-256 of service and fingerprint. */
    public static String groupId(String service, String fingerprint) {
        return StableId.of(service, fingerprint);
    }

    /**
     * The fingerprint the agent would compute: from the stack trace when it parses as a Java
     * stack trace, else from the type and the (masked) message.
     */
    public String fingerprint(String type, String message, String stackTrace) {
        List<ExceptionInfo> chain = StackTraceText.parse(stackTrace);
        if (chain.isEmpty()) {
            chain = List.of(new ExceptionInfo(type, message, List.of()));
        }
        return ErrorFingerprint.of(chain, inApp);
    }

    /** Stops taking work, commits what is queued (bounded wait), and stops the writer. */
    @Override
    public void close() {
        stopping = true;
        queue.add(new Command.Stop());
        try {
            writer.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- writer ----------------------------------------------------------------------------

    private sealed interface Command {
        record Record(List<ErrorOccurrence> occurrences, CompletableFuture<Void> done) implements Command {}

        record SetStatus(String id, ErrorStatus status, CompletableFuture<Optional<ErrorGroup>> done)
                implements Command {}

        record Maintain(CompletableFuture<Void> done) implements Command {}

        record Stop() implements Command {}
    }

    private void runWriter() {
        List<Command.Record> batch = new ArrayList<>();
        while (true) {
            Command c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                if (c instanceof Command.Record r) {
                    batch.add(r);
                    int n = r.occurrences().size();
                    // group commit: everything already waiting goes into the same transaction
                    while (n < 10_000 && queue.peek() instanceof Command.Record next) {
                        queue.poll();
                        batch.add(next);
                        n += next.occurrences().size();
                    }
                    applyBatch(batch);
                    batch.clear();
                } else if (c instanceof Command.SetStatus s) {
                    s.done().complete(applyStatus(s.id(), s.status()));
                } else if (c instanceof Command.Maintain m) {
                    applyMaintenance();
                    m.done().complete(null);
                } else if (c instanceof Command.Stop) {
                    failRemaining();
                    return;
                }
            } catch (RuntimeException e) {
                log.error("error group write failed: {}", e.getMessage(), e);
                for (Command.Record r : batch) {
                    release(r);
                    r.done().completeExceptionally(e);
                }
                batch.clear();
                if (c instanceof Command.SetStatus s) {
                    s.done().completeExceptionally(e);
                } else if (c instanceof Command.Maintain m) {
                    m.done().completeExceptionally(e);
                }
            }
        }
    }

    private void failRemaining() {
        Command c;
        while ((c = queue.poll()) != null) {
            ErrorGroupsBusyException e = new ErrorGroupsBusyException("the collector is stopping");
            if (c instanceof Command.Record r) {
                release(r);
                r.done().completeExceptionally(e);
            } else if (c instanceof Command.SetStatus s) {
                s.done().completeExceptionally(e);
            } else if (c instanceof Command.Maintain m) {
                m.done().completeExceptionally(e);
            }
        }
    }

    private void release(Command.Record r) {
        queued.addAndGet(-r.occurrences().size());
    }

    private void applyBatch(List<Command.Record> batch) {
        long now = clock.millis();
        Map<String, GroupState> changed = new LinkedHashMap<>();
        List<String> created = new ArrayList<>();
        List<String> regressed = new ArrayList<>();
        Map<String, Map<Long, Long>> minuteCounts = new HashMap<>();
        int dropped = 0;
        int kept = 0;
        int total = groups.size();
        for (Command.Record r : batch) {
            for (ErrorOccurrence o : r.occurrences()) {
                String fp = o.fingerprint() != null && !o.fingerprint().isBlank()
                        ? o.fingerprint()
                        : fingerprint(o.type(), o.message(), o.stackTrace());
                String id = groupId(o.service(), fp);
                GroupState s = changed.get(id);
                if (s == null) {
                    GroupState existing = groups.get(id);
                    if (existing != null) {
                        s = existing.copy();
                    } else if (total >= maxGroups) {
                        dropped++;
                        continue;
                    } else {
                        s = newGroup(id, o, fp, now);
                        total++;
                        created.add(id);
                    }
                    changed.put(id, s);
                }
                long time =
                        Math.min(o.time().toEpochMilli(), now + MINUTE); // a skewed clock must not count in the future
                GroupState.pushRecent(s.traceIds, o.traceId(), RECENT);
                GroupState.pushRecent(s.logLines, truncate(o.logLine(), MAX_LOG_LINE), RECENT);
                if (o.repeat() && !created.contains(id)) {
                    continue; // already counted from the other signal
                }
                if (s.status == ErrorStatus.RESOLVED) {
                    s.status = ErrorStatus.REGRESSED;
                    s.statusChangedAt = now;
                    regressed.add(id);
                }
                s.count++;
                s.lastSeen = Math.max(s.lastSeen, time);
                s.firstSeen = Math.min(s.firstSeen, time);
                if (s.stackTrace == null && o.stackTrace() != null) {
                    s.stackTrace = truncate(o.stackTrace(), MAX_STACK_TRACE);
                }
                if (o.category() != null) {
                    s.category = o.category();
                }
                if (o.retryable() != null) {
                    s.retryable = o.retryable();
                }
                if (o.message() != null) {
                    s.message = truncate(o.message(), MAX_MESSAGE);
                }
                minuteCounts
                        .computeIfAbsent(id, k -> new HashMap<>())
                        .merge(Math.floorDiv(time, MINUTE), 1L, Long::sum);
                kept++;
            }
        }
        final int keptTotal = kept;
        db.write(c -> {
            upsertGroups(c, changed.values());
            upsertCounts(c, minuteCounts);
            return null;
        });
        // committed: now the writer's copy may change, and the senders may be answered
        groups.putAll(changed);
        groupCount = groups.size();
        occurrences.increment(keptTotal);
        if (dropped > 0) {
            droppedGroupLimit.increment(dropped);
            log.warn("{} error occurrences dropped: errors.max_groups ({}) reached", dropped, maxGroups);
        }
        // listeners first, so that once a sender is answered the rule engine has heard of the group
        notifyListeners(created, regressed, now);
        for (Command.Record r : batch) {
            release(r);
            r.done().complete(null);
        }
    }

    private void notifyListeners(List<String> created, List<String> regressed, long now) {
        if (listeners.isEmpty() || (created.isEmpty() && regressed.isEmpty())) {
            return;
        }
        for (String id : created) {
            GroupState s = groups.get(id);
            ErrorGroup g = s.toGroup(s.count, effectiveStatus(s, now));
            for (ErrorGroupListener l : listeners) {
                callSafely(() -> l.created(g));
            }
        }
        for (String id : regressed) {
            GroupState s = groups.get(id);
            ErrorGroup g = s.toGroup(s.count, effectiveStatus(s, now));
            for (ErrorGroupListener l : listeners) {
                callSafely(() -> l.regressed(g));
            }
        }
    }

    private static void callSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("an error group listener failed: {}", e.toString(), e);
        }
    }

    private Optional<ErrorGroup> applyStatus(String id, ErrorStatus status) {
        GroupState existing = groups.get(id);
        if (existing == null) {
            return Optional.empty();
        }
        GroupState s = existing.copy();
        long now = clock.millis();
        s.status = status;
        s.statusChangedAt = now;
        db.write(c -> {
            upsertGroups(c, List.of(s));
            return null;
        });
        groups.put(id, s);
        return get(id);
    }

    private void applyMaintenance() {
        long now = clock.millis();
        long pruneBefore = Math.floorDiv(now - countRetention.toMillis(), MINUTE);
        List<GroupState> resolved = new ArrayList<>();
        if (!resolveAfter.isZero()) {
            for (GroupState s : groups.values()) {
                if (s.lastSeen < now - resolveAfter.toMillis()
                        && s.status != ErrorStatus.RESOLVED
                        && s.status != ErrorStatus.IGNORED) {
                    GroupState c = s.copy();
                    c.status = ErrorStatus.RESOLVED;
                    c.statusChangedAt = now;
                    resolved.add(c);
                }
            }
        }
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM error_counts WHERE minute < ?")) {
                p.setLong(1, pruneBefore);
                p.executeUpdate();
            }
            upsertGroups(c, resolved);
            return null;
        });
        for (GroupState s : resolved) {
            groups.put(s.id, s);
        }
        if (!resolved.isEmpty()) {
            log.info("{} error groups resolved after {} without occurrences", resolved.size(), resolveAfter);
        }
    }

    private GroupState newGroup(String id, ErrorOccurrence o, String fingerprint, long now) {
        GroupState s = new GroupState(id, o.service(), fingerprint);
        s.type = truncate(o.type(), MAX_TYPE);
        long time = Math.min(o.time().toEpochMilli(), now + MINUTE);
        s.firstSeen = time;
        s.lastSeen = time;
        s.status = ErrorStatus.NEW;
        s.statusChangedAt = now;
        return s;
    }

    /** NEW and REGRESSED turn into ONGOING once {@code newPeriod} has passed since the change. */
    private ErrorStatus effectiveStatus(GroupState s, long now) {
        if ((s.status == ErrorStatus.NEW || s.status == ErrorStatus.REGRESSED)
                && now - s.statusChangedAt >= newPeriod.toMillis()) {
            return ErrorStatus.ONGOING;
        }
        return s.status;
    }

    private static void upsertGroups(Connection c, Iterable<GroupState> states) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO error_groups(id, service, fingerprint, type,"
                + " message, category, retryable, first_seen, last_seen, count, status, status_changed_at,"
                + " stack_trace, trace_ids, log_lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(id) DO UPDATE SET type = excluded.type, message = excluded.message,"
                + " category = excluded.category, retryable = excluded.retryable, first_seen = excluded.first_seen,"
                + " last_seen = excluded.last_seen, count = excluded.count, status = excluded.status,"
                + " status_changed_at = excluded.status_changed_at, stack_trace = excluded.stack_trace,"
                + " trace_ids = excluded.trace_ids, log_lines = excluded.log_lines")) {
            for (GroupState s : states) {
                p.setString(1, s.id);
                p.setString(2, s.service);
                p.setString(3, s.fingerprint);
                p.setString(4, s.type);
                p.setString(5, s.message);
                p.setString(6, s.category);
                if (s.retryable == null) {
                    p.setNull(7, Types.INTEGER);
                } else {
                    p.setInt(7, s.retryable ? 1 : 0);
                }
                p.setLong(8, s.firstSeen);
                p.setLong(9, s.lastSeen);
                p.setLong(10, s.count);
                p.setString(11, s.status.label());
                p.setLong(12, s.statusChangedAt);
                p.setString(13, s.stackTrace);
                p.setString(14, toJson(new ArrayList<>(s.traceIds)));
                p.setString(15, toJson(new ArrayList<>(s.logLines)));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static void upsertCounts(Connection c, Map<String, Map<Long, Long>> counts) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("INSERT INTO error_counts(group_id, minute, count) VALUES (?, ?, ?)"
                        + " ON CONFLICT(group_id, minute) DO UPDATE SET count = count + excluded.count")) {
            for (Map.Entry<String, Map<Long, Long>> g : counts.entrySet()) {
                for (Map.Entry<Long, Long> m : g.getValue().entrySet()) {
                    p.setString(1, g.getKey());
                    p.setLong(2, m.getKey());
                    p.setLong(3, m.getValue());
                    p.addBatch();
                }
            }
            p.executeBatch();
        }
    }

    private void load() {
        List<GroupState> all = readGroups(null, null);
        for (GroupState s : all) {
            groups.put(s.id, s);
        }
        groupCount = groups.size();
    }

    private Map<String, Long> countsSince(long fromMillis) {
        return countsInWindow(Instant.ofEpochMilli(fromMillis), Instant.ofEpochMilli(clock.millis() + MINUTE));
    }

    private List<GroupState> readGroups(String where, String arg) {
        return db.read(c -> {
            List<GroupState> out = new ArrayList<>();
            String sql = "SELECT id, service, fingerprint, type, message, category, retryable, first_seen, last_seen,"
                    + " count, status, status_changed_at, stack_trace, trace_ids, log_lines FROM error_groups"
                    + (where == null ? "" : " WHERE " + where);
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (where != null) {
                    p.setString(1, arg);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        GroupState s = new GroupState(rs.getString(1), rs.getString(2), rs.getString(3));
                        s.type = rs.getString(4);
                        s.message = rs.getString(5);
                        s.category = rs.getString(6);
                        int retryable = rs.getInt(7);
                        s.retryable = rs.wasNull() ? null : retryable != 0;
                        s.firstSeen = rs.getLong(8);
                        s.lastSeen = rs.getLong(9);
                        s.count = rs.getLong(10);
                        s.status = ErrorStatus.parse(rs.getString(11));
                        s.statusChangedAt = rs.getLong(12);
                        s.stackTrace = rs.getString(13);
                        s.traceIds.addAll(fromJson(rs.getString(14)));
                        s.logLines.addAll(fromJson(rs.getString(15)));
                        out.add(s);
                    }
                }
            }
            return out;
        });
    }

    private static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "…";
    }

    private static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            return List.of(); // a damaged sample list is not worth failing a query for
        }
    }

    /** Options of {@link ErrorGroups}. */
    public static final class Builder {
        private final Database db;
        private Clock clock = Clock.systemUTC();
        private InAppPolicy inApp = InAppPolicy.inferred();
        private Duration newPeriod = Duration.ofHours(1);
        private Duration resolveAfter = Duration.ZERO;
        private Duration countRetention = Duration.ofDays(3);
        private int maxGroups = 10_000;
        private int queueCapacity = 100_000;
        private MeterRegistry registry;

        private Builder(Database db) {
            this.db = requireNonNull(db, "db");
        }

        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        /** Packages whose frames are in-app for fingerprints computed here (empty: inferred). */
        public Builder inAppPackages(List<String> packages) {
            this.inApp = InAppPolicy.packages(requireNonNull(packages, "packages"));
            return this;
        }

        /** How long a group stays "new" (or "regressed") before it is "ongoing". */
        public Builder newPeriod(Duration d) {
            this.newPeriod = requireNonNull(d, "newPeriod");
            return this;
        }

        /** Groups not seen for this long become resolved; zero never resolves automatically. */
        public Builder resolveAfter(Duration d) {
            this.resolveAfter = requireNonNull(d, "resolveAfter");
            return this;
        }

        /** How long per-minute counts are kept (the longest spike baseline or count window). */
        public Builder countRetention(Duration d) {
            this.countRetention = requireNonNull(d, "countRetention");
            return this;
        }

        public Builder maxGroups(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxGroups must be positive: " + n);
            }
            this.maxGroups = n;
            return this;
        }

        /** Occurrences that may wait for the writer; beyond, {@link #record} fails at once. */
        public Builder queueCapacity(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("queueCapacity must be positive: " + n);
            }
            this.queueCapacity = n;
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            this.registry = requireNonNull(r, "registry");
            return this;
        }

        /** Loads the groups from the database and starts the writer thread. */
        public ErrorGroups build() {
            return new ErrorGroups(this);
        }
    }
}
