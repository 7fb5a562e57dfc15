package dev.vigil.collector.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Bearer tokens, compared in constant time so a wrong token reveals nothing by its timing. */
public final class Tokens {
    private final List<byte[]> tokens;

    public Tokens(List<String> tokens) {
        this.tokens =
                tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** Whether the {@code Authorization} header carries one of the tokens. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null
                || authorizationHeader.length() < 7
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : tokens) {
            ok |= MessageDigest.isEqual(t, presented);
        }
        return ok;
    }
}
