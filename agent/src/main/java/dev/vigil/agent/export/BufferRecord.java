package dev.vigil.agent.export;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The on-disk form of one buffered export request: one file per request, named
 * {@code <seq>-<signal>-<items>.vgb} (seq zero-padded to 20 digits, so names sort by age), holding a
 * 32-byte header and the uncompressed OTLP protobuf body:
 *
 * <pre>
 * offset size field
 *      0    4 magic "VGB1"
 *      4    1 signal (1 traces, 2 logs, 3 metrics)
 *      5    3 reserved, zero
 *      8    4 items (spans, log records or metric points)
 *     12    8 created, epoch milliseconds
 *     20    4 body length in bytes
 *     24    4 CRC32 of the body
 *     28    4 CRC32 of bytes 0..27
 *     32    n body
 * </pre>
 *
 * Files are written as {@code <name>.tmp} and renamed, so a crash leaves either a complete file or a
 * {@code .tmp} one; the lengths and both checksums catch anything else (a torn or corrupted file),
 * which is then skipped and counted, never sent. All integers are big-endian.
 */
final class BufferRecord {
    static final String SUFFIX = ".vgb";
    static final String TEMP_SUFFIX = ".tmp";
    static final int HEADER_SIZE = 32;
    private static final int MAGIC = 0x56474231; // "VGB1"

    final long seq;
    final Signal signal;
    final int items;

    BufferRecord(long seq, Signal signal, int items) {
        this.seq = seq;
        this.signal = signal;
        this.items = items;
    }

    String fileName() {
        return String.format(Locale.ROOT, "%020d-%s-%d%s", seq, signal.label(), items, SUFFIX);
    }

    /** Parses a file name written by {@link #fileName()} (with or without {@code .tmp}); null if it is not one. */
    static BufferRecord parseName(String name) {
        String n = name.endsWith(TEMP_SUFFIX) ? name.substring(0, name.length() - TEMP_SUFFIX.length()) : name;
        if (!n.endsWith(SUFFIX)) {
            return null;
        }
        String[] parts = n.substring(0, n.length() - SUFFIX.length()).split("-");
        if (parts.length != 3 || parts[0].length() != 20) {
            return null;
        }
        try {
            long seq = Long.parseLong(parts[0]);
            int items = Integer.parseInt(parts[2]);
            Signal signal = Signal.valueOf(parts[1].toUpperCase(Locale.ROOT));
            return seq < 0 || items < 0 ? null : new BufferRecord(seq, signal, items);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Header and body, ready to write. */
    byte[] encode(byte[] body, long createdMillis) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + body.length);
        b.putInt(MAGIC);
        b.put(code(signal));
        b.put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(items);
        b.putLong(createdMillis);
        b.putInt(body.length);
        b.putInt(crc(body, 0, body.length));
        b.putInt(crc(b.array(), 0, 28));
        b.put(body);
        return b.array();
    }

    /**
     * The body of a file's content, or null when the content is not a complete, intact record that
     * matches this name (torn write, truncation, bit rot, a different file).
     */
    byte[] decode(byte[] file) {
        if (file.length < HEADER_SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt(0) != MAGIC
                || b.getInt(28) != crc(file, 0, 28)
                || b.get(4) != code(signal)
                || b.getInt(8) != items
                || b.getInt(20) != file.length - HEADER_SIZE) {
            return null;
        }
        if (b.getInt(24) != crc(file, HEADER_SIZE, file.length - HEADER_SIZE)) {
            return null;
        }
        byte[] body = new byte[file.length - HEADER_SIZE];
        System.arraycopy(file, HEADER_SIZE, body, 0, body.length);
        return body;
    }

    /** The same record under another sequence number (when a dead process's buffer is adopted). */
    BufferRecord renumbered(long newSeq) {
        return new BufferRecord(newSeq, signal, items);
    }

    private static byte code(Signal signal) {
        return (byte) (signal.ordinal() + 1);
    }

    private static int crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
