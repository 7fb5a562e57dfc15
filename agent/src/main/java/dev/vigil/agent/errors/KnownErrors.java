package dev.vigil.agent.errors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The classifier's built-in knowledge, read from {@code known-errors.txt} (its header explains the
 * format): well-known exception types of the JDK, JDBC drivers, Netty, Spring, Hibernate, Jackson
 * and HTTP clients by name, SQLStates, vendor codes, HTTP statuses and gRPC codes.
 */
final class KnownErrors {
    static final String RESOURCE = "known-errors.txt";

    /** A verdict for a type, optionally only when the message contains {@code hint} (lower case). */
    static final class TypeEntry {
        final Verdict verdict;
        final String hint;

        TypeEntry(Verdict verdict, String hint) {
            this.verdict = verdict;
            this.hint = hint;
        }
    }

    final Map<String, List<TypeEntry>> types = new HashMap<>();
    final Map<String, Verdict> sqlStates = new HashMap<>();
    final Map<String, Verdict> vendorCodes = new HashMap<>();
    final Map<Integer, Verdict> statuses = new HashMap<>();
    final Set<String> statusInMessage = new HashSet<>();
    final Set<String> statusInName = new HashSet<>();
    final Map<String, Verdict> grpcCodes = new HashMap<>();
    final Set<String> grpcTypes = new HashSet<>();

    private static final KnownErrors BUILT_IN = load();

    static KnownErrors builtIn() {
        return BUILT_IN;
    }

    private static KnownErrors load() {
        try (InputStream in = KnownErrors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the agent");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return parse(lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the data file; a malformed line is a build defect and fails loudly with its number. */
    static KnownErrors parse(List<String> lines) {
        KnownErrors k = new KnownErrors();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String hint = null;
            int tilde = line.indexOf('~');
            if (tilde >= 0) {
                hint = line.substring(tilde + 1).trim().toLowerCase(Locale.ROOT);
                line = line.substring(0, tilde);
            }
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] f = line.trim().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            try {
                switch (f[0]) {
                    case "type":
                        k.types.computeIfAbsent(f[1], x -> new ArrayList<>()).add(new TypeEntry(verdict(f, 2), hint));
                        break;
                    case "sqlstate":
                        k.sqlStates.put(f[1].toUpperCase(Locale.ROOT), verdict(f, 2));
                        break;
                    case "vendor":
                        k.vendorCodes.put(f[1] + ":" + Integer.parseInt(f[2]), verdict(f, 3));
                        break;
                    case "status":
                        k.statuses.put(Integer.parseInt(f[1]), verdict(f, 2));
                        break;
                    case "status-in-message":
                        k.statusInMessage.add(f[1]);
                        break;
                    case "status-in-name":
                        k.statusInName.add(f[1]);
                        break;
                    case "grpc":
                        k.grpcCodes.put(f[1], verdict(f, 2));
                        break;
                    case "grpc-type":
                        k.grpcTypes.add(f[1]);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown kind '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(RESOURCE + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        k.types.replaceAll((name, entries) -> Collections.unmodifiableList(entries));
        return k;
    }

    private static Verdict verdict(String[] f, int at) {
        ErrorCategory category = ErrorCategory.fromLabel(f[at]);
        if (category == null) {
            throw new IllegalArgumentException("unknown category '" + f[at] + "'");
        }
        boolean retryable = category.defaultRetryable();
        if (f.length > at + 1) {
            if ("retryable".equals(f[at + 1])) {
                retryable = true;
            } else if ("permanent".equals(f[at + 1])) {
                retryable = false;
            } else {
                throw new IllegalArgumentException("expected retryable or permanent, got '" + f[at + 1] + "'");
            }
        }
        if (f.length > at + 2) {
            throw new IllegalArgumentException("unexpected '" + f[at + 2] + "'");
        }
        return new Verdict(category, retryable);
    }
}
