package dev.vigil.agent.export;

import dev.vigil.agent.export.DeliveryCounters.DropReason;
import dev.vigil.agent.log.AgentLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes over the disk buffers that earlier runs of the same service left behind. A buffer directory
 * whose {@code .lock} can be locked belongs to a process that is gone (the OS releases the locks of a
 * dead process, {@code kill -9} included); one whose lock is held belongs to a live process and is
 * left alone, so two processes never replay the same files.
 */
final class OrphanedBuffers {
    private static final AgentLog LOG = AgentLog.get(OrphanedBuffers.class);
    /** {@code <start millis>-<pid>-<n>}, as {@link DiskBuffer#open} names a process's directory. */
    private static final Pattern INSTANCE_DIR = Pattern.compile("\\d{13}-\\d+-\\d+");

    /** Receives the adopted requests, already moved into the adopting directory. */
    interface Adopter {
        /** The sequence number the next adopted request gets. */
        long nextSeq();

        void adopted(BufferRecord record, long size);
    }

    private OrphanedBuffers() {}

    /**
     * Moves the requests of every unlocked sibling of {@code own} into {@code own}, oldest process
     * first and in their order, renumbered from {@link Adopter#nextSeq()}; then removes the sibling.
     * Files a process left half-written ({@code .tmp}) are deleted and counted.
     */
    static void adoptAll(Path serviceDir, Path own, DeliveryCounters counters, Adopter adopter) throws IOException {
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(serviceDir)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (!p.equals(own) && INSTANCE_DIR.matcher(name).matches() && Files.isDirectory(p)) {
                    others.add(p);
                }
            }
        }
        Collections.sort(others); // by start time: the oldest process's data goes first
        for (Path other : others) {
            try {
                adopt(other, own, counters, adopter);
            } catch (NoSuchFileException goneMeanwhile) {
                // another process adopted and removed it first
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not adopt the export buffer " + other + " left by a previous run: " + e);
            }
        }
    }

    private static void adopt(Path other, Path own, DeliveryCounters counters, Adopter adopter) throws IOException {
        try (FileChannel channel = FileChannel.open(
                other.resolve(DiskBuffer.LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ownedByThisJvm) {
                return;
            }
            if (lock == null) {
                return; // a live process owns it
            }
            List<BufferRecord> records = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(other)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    BufferRecord r = BufferRecord.parseName(name);
                    if (r != null && name.endsWith(BufferRecord.TEMP_SUFFIX)) {
                        // the process died while writing this file: it never became a buffered request
                        counters.corruptFile();
                        counters.dropped(r.signal, DropReason.CORRUPT, r.items);
                        LOG.warnOnce(
                                "buffer-torn",
                                "skipped the incomplete export buffer file " + f + " left by a process that died"
                                        + " while writing it",
                                null);
                        DiskBuffer.deleteQuietly(f);
                    } else if (r != null) {
                        records.add(r);
                    }
                }
            }
            records.sort((a, b) -> Long.compare(a.seq, b.seq));
            for (BufferRecord r : records) {
                BufferRecord mine = r.renumbered(adopter.nextSeq());
                Path target = own.resolve(mine.fileName());
                Files.move(other.resolve(r.fileName()), target, StandardCopyOption.ATOMIC_MOVE);
                adopter.adopted(mine, Files.size(target));
            }
            if (!records.isEmpty()) {
                LOG.info("adopted " + records.size() + " export requests left in " + other + " by a previous run;"
                        + " they are sent first");
            }
            // the lock file goes only now, after every request moved: a process that recreates it
            // meanwhile finds nothing left to adopt
            DiskBuffer.deleteQuietly(other.resolve(DiskBuffer.LOCK_FILE));
            DiskBuffer.deleteQuietly(other);
        }
    }
}
