package dev.vigil.collector.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Short ids that are the same on every collector and across restarts: URL-safe, 16 hex digits. */
public final class StableId {
    private StableId() {}

    /** The first 16 hex digits of SHA-256 over the parts, each followed by a NUL byte. */
    public static String of(String... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                d.update(p.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            byte[] h = d.digest();
            StringBuilder s = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                s.append(Character.forDigit((h[i] >> 4) & 0xf, 16)).append(Character.forDigit(h[i] & 0xf, 16));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
