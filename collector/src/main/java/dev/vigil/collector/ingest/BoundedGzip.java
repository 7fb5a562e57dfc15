package dev.vigil.collector.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Gzip decompression that stops at a size limit, so a small "gzip bomb" cannot make the
 * collector allocate gigabytes: it never holds more than {@code limit} + one buffer of output.
 */
final class BoundedGzip {
    private BoundedGzip() {}

    /** The body inflated beyond the limit. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** @throws IOException if the input is not valid gzip (truncated, corrupt, not gzip at all) */
    static byte[] decompress(byte[] compressed, long limit) throws IOException, TooLargeException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.length * 4, 1 << 20));
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw new TooLargeException("the decompressed body exceeds " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new ZipException("truncated gzip data");
        }
    }
}
