package dev.vigil.agent.logs;

import dev.vigil.agent.core.AgentThreads;
import dev.vigil.agent.log.AgentLog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON log file of {@code vigil.logs.json=file:<path>}: lines are queued by application threads
 * (never blocking; when the queue is full the line is dropped and counted) and written by one agent
 * thread. At {@code maxSize} the file is rotated: {@code app.json} becomes {@code app.json.1}, the
 * older ones shift, and beyond {@code maxFiles} the oldest is deleted. A write error is reported
 * once and the line counted as dropped; writing resumes when the file can be written again.
 */
final class JsonLogFile implements AutoCloseable {
    private static final AgentLog LOG = AgentLog.get(JsonLogFile.class);
    private static final byte[] STOP = new byte[0];

    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    private final ArrayBlockingQueue<byte[]> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private OutputStream out;
    private long size;

    JsonLogFile(Path path, long maxSize, int maxFiles, int queueSize) {
        this.path = path.toAbsolutePath();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.writer = AgentThreads.factory("logfile").newThread(this::run);
        this.writer.start();
    }

    /** Queues one line; never blocks. */
    void append(byte[] line) {
        if (!queue.offer(line) && dropped.getAndIncrement() == 0) {
            LOG.warn("JSON log file queue is full; dropping lines for " + path + " and counting them in"
                    + " vigil_agent_log_file_dropped_total");
        }
    }

    long dropped() {
        return dropped.get();
    }

    Path path() {
        return path;
    }

    private void run() {
        try {
            while (true) {
                byte[] line = queue.take();
                if (line == STOP) {
                    break;
                }
                write(line);
                if (queue.isEmpty()) {
                    flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] rest;
        while ((rest = queue.poll()) != null) {
            if (rest != STOP) {
                write(rest);
            }
        }
        closeQuietly();
    }

    private void write(byte[] line) {
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.length > maxSize) {
                rotate();
            }
            out.write(line);
            size += line.length;
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            LOG.warnOnce("logfile-write:" + path, "cannot write the JSON log file " + path + "; lines are dropped", e);
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        closeQuietly();
        if (maxFiles == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(rotated(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                Path from = rotated(i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the next write reopens the file
            }
            out = null;
        }
    }

    /** Writes what is queued (bounded wait) and closes the file. */
    @Override
    public void close() {
        if (!queue.offer(STOP)) {
            writer.interrupt();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
