package dev.vigil.agent.export;

import dev.vigil.agent.export.DeliveryCounters.DropReason;
import dev.vigil.agent.log.AgentLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Export requests kept on disk while the collector is unreachable: one {@link BufferRecord} file per
 * request in a directory owned by this process, {@code <base>/<service>/<start millis>-<pid>-<n>}, under
 * an exclusive lock on its {@code .lock} file. At start, the directories of the same service whose
 * lock is free (their process is gone, even after kill -9: the OS drops the lock) are adopted: their
 * files move into this directory, renumbered ahead of everything new, so they are replayed first.
 *
 * <p>The total size is capped; beyond it the oldest requests are deleted and counted. A write that
 * fails (disk full, directory removed) switches the buffer off, with a warning, for {@link
 * #RETRY_AFTER_FAILURE_NANOS}; the caller keeps requests in memory meanwhile. Not thread-safe: the
 * owner ({@link Backlog}) serialises every call.
 */
final class DiskBuffer {
    static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final AgentLog LOG = AgentLog.get(DiskBuffer.class);
    static final String LOCK_FILE = ".lock";
    /** Tells apart the buffers of one JVM (one in production; several in tests). */
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES =
            new java.util.concurrent.atomic.AtomicInteger();

    private final Path dir;
    private final FileChannel lockChannel;
    private final long maxBytes;
    private final NanoClock clock;
    private final DeliveryCounters counters;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private volatile long bytes;
    private volatile int count;
    private volatile boolean available;
    private long retryAt;
    private long nextSeq;
    private long protectedSeq = -1;
    private volatile boolean closed;

    /** One file in the index. */
    static final class Entry {
        final BufferRecord record;
        final long size;

        Entry(BufferRecord record, long size) {
            this.record = record;
            this.size = size;
        }
    }

    private DiskBuffer(Path dir, FileChannel lockChannel, long maxBytes, NanoClock clock, DeliveryCounters counters) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.counters = counters;
        this.available = dir != null;
    }

    /** A buffer that never stores anything: disk buffering is off or impossible. */
    static DiskBuffer disabled(DeliveryCounters counters) {
        return new DiskBuffer(null, null, 0, NanoClock.SYSTEM, counters);
    }

    /**
     * Creates this process's directory under {@code base/service}, locks it and adopts what dead
     * processes of the same service left. Never throws: when the directory cannot be used, logs why
     * and returns a {@link #disabled} buffer (memory-only delivery).
     */
    static DiskBuffer open(Path base, String service, long maxBytes, NanoClock clock, DeliveryCounters counters) {
        Path serviceDir = base.resolve(safeName(service));
        Path own = serviceDir.resolve(String.format(
                "%013d-%d-%d",
                System.currentTimeMillis(), ProcessHandle.current().pid(), INSTANCES.incrementAndGet()));
        FileChannel channel = null;
        try {
            Files.createDirectories(own);
            ownerOnly(own);
            channel = FileChannel.open(own.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new IOException("lock held by another process");
            }
            DiskBuffer buffer = new DiskBuffer(own, channel, maxBytes, clock, counters);
            buffer.adoptOrphans(serviceDir);
            return buffer;
        } catch (IOException | UncheckedIOException | SecurityException | OverlappingFileLockException e) {
            closeQuietly(channel);
            LOG.warn("cannot use the export buffer directory " + own + " (" + e
                    + "): requests the collector cannot take now are kept in memory only, and are lost if the"
                    + " process stops. Set vigil.collector.buffer.directory to a writable directory to fix this.");
            return disabled(counters);
        }
    }

    /** Whether requests can be written now (retries the disk a while after a failed write). */
    boolean usable() {
        if (available || dir == null || closed) {
            return available && !closed;
        }
        if (clock.nanoTime() - retryAt >= 0) {
            available = true;
        }
        return available;
    }

    /** Whether the last write worked (no retry attempted here; for the gauge). */
    boolean available() {
        return available && !closed;
    }

    /** Whether this buffer has a directory at all (false: memory-only for the life of the process). */
    boolean configured() {
        return dir != null;
    }

    Path directory() {
        return dir;
    }

    /** The sequence number after the last adopted request; new requests must be numbered from here. */
    long nextSeq() {
        return nextSeq;
    }

    long bytes() {
        return bytes;
    }

    int count() {
        return count;
    }

    /** A request that is being sent: never evicted while it is in flight. */
    void protect(long seq) {
        protectedSeq = seq;
    }

    /**
     * Stores one request; then deletes the oldest ones while over the size cap. Returns false when the
     * request was not stored (disk unusable, write failed, or the request alone is over the cap): the
     * caller keeps it.
     */
    boolean write(long seq, Signal signal, int items, byte[] body) {
        if (!usable()) {
            return false;
        }
        long size = (long) BufferRecord.HEADER_SIZE + body.length;
        if (size > maxBytes) {
            LOG.warnOnce(
                    "buffer-too-large",
                    "an export request of " + size + " bytes is larger than the whole disk buffer (" + maxBytes
                            + " bytes, vigil.collector.buffer.disk.max.size); it is kept in memory only",
                    null);
            return false;
        }
        BufferRecord record = new BufferRecord(seq, signal, items);
        Path target = dir.resolve(record.fileName());
        Path temp = dir.resolve(record.fileName() + BufferRecord.TEMP_SUFFIX);
        try {
            Files.write(temp, record.encode(body, System.currentTimeMillis()));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            deleteQuietly(temp);
            available = false;
            retryAt = clock.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
            LOG.warn("cannot write the export buffer in " + dir + " (" + e + "): keeping requests in memory only;"
                    + " the disk is tried again in " + TimeUnit.NANOSECONDS.toSeconds(RETRY_AFTER_FAILURE_NANOS)
                    + "s");
            return false;
        }
        index(record, size);
        evictOverCap();
        return true;
    }

    /** The oldest stored request, or null. */
    Entry first() {
        Map.Entry<Long, Entry> e = entries.firstEntry();
        return e == null ? null : e.getValue();
    }

    /**
     * The body of a stored request, or null when its file is damaged or gone: then it is deleted,
     * removed from the index and counted, and the caller moves on to the next one.
     */
    byte[] read(Entry entry) {
        Path file = dir.resolve(entry.record.fileName());
        String problem;
        try {
            byte[] body = entry.record.decode(Files.readAllBytes(file));
            if (body != null) {
                return body;
            }
            problem = "damaged (torn write, truncation or corruption)";
        } catch (NoSuchFileException e) {
            problem = "gone (deleted by someone else)";
        } catch (IOException | UncheckedIOException | SecurityException e) {
            problem = "unreadable (" + e + ")";
        }
        LOG.warnOnce(
                "buffer-corrupt",
                "skipped export buffer file " + file + ": " + problem + "; its " + entry.record.items + " "
                        + entry.record.signal.label() + " are counted as lost",
                null);
        counters.corruptFile();
        counters.dropped(entry.record.signal, DropReason.CORRUPT, entry.record.items);
        remove(entry.record.seq);
        return null;
    }

    /** Deletes a stored request (sent, or given up). */
    void delete(long seq) {
        remove(seq);
    }

    /** Releases the directory: it stays (with its lock file) when requests are left, for the next run to adopt. */
    void close() {
        if (dir == null || closed) {
            return;
        }
        closed = true;
        if (entries.isEmpty()) {
            deleteQuietly(dir.resolve(LOCK_FILE));
            deleteQuietly(dir);
        }
        closeQuietly(lockChannel);
    }

    private Entry remove(long seq) {
        Entry e = entries.remove(seq);
        if (e == null) {
            return null;
        }
        bytes -= e.size;
        count = entries.size();
        if (dir != null) {
            deleteQuietly(dir.resolve(e.record.fileName()));
        }
        return e;
    }

    private void index(BufferRecord record, long size) {
        entries.put(record.seq, new Entry(record, size));
        bytes += size;
        count = entries.size();
        nextSeq = Math.max(nextSeq, record.seq + 1);
    }

    private void evictOverCap() {
        while (bytes > maxBytes) {
            Entry victim = null;
            for (Entry e : entries.values()) {
                if (e.record.seq != protectedSeq) {
                    victim = e;
                    break;
                }
            }
            if (victim == null) {
                return;
            }
            remove(victim.record.seq);
            counters.dropped(victim.record.signal, DropReason.DISK_CAP, victim.record.items);
            LOG.warnOnce(
                    "buffer-disk-cap",
                    "the export buffer in " + dir + " is full (" + maxBytes
                            + " bytes, vigil.collector.buffer.disk.max.size): dropping the oldest requests,"
                            + " counted in vigil_agent_export_lost_total",
                    null);
        }
    }

    /** Moves the files of dead processes of this service into this directory, ahead of anything new. */
    private void adoptOrphans(Path serviceDir) throws IOException {
        OrphanedBuffers.adoptAll(serviceDir, dir, counters, new OrphanedBuffers.Adopter() {
            @Override
            public long nextSeq() {
                return nextSeq;
            }

            @Override
            public void adopted(BufferRecord record, long size) {
                index(record, size);
            }
        });
        evictOverCap();
    }

    /** A directory name from a service name: letters, digits, '.', '_' and '-' only. */
    static String safeName(String service) {
        String s = service == null || service.isEmpty() ? "unknown_service" : service;
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        String out = b.toString();
        return out.startsWith(".") ? "_" + out.substring(1) : out;
    }

    /** Telemetry can carry personal data, and the default location is the shared temp directory. */
    private static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory keeps the ACL inherited from its parent
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | SecurityException e) {
            LOG.debug("could not delete " + p + ": " + e);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("could not release the export buffer lock: " + e);
        }
    }
}
