package dev.vigil.agent.errors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides which stack frames belong to the application. With configured packages, exactly those
 * are in-app; without, a frame is in-app unless its class belongs to the JDK or a well-known
 * library (the list below), which is what "inferred" means in FORMATS.md.
 */
public final class InAppPolicy {
    /** Class-name prefixes of the JDK and of widely used libraries and servers (library-prefixes.txt). */
    static final String[] LIBRARY_PREFIXES = loadPrefixes();

    private static String[] loadPrefixes() {
        List<String> out = new ArrayList<>();
        try (InputStream in = InAppPolicy.class.getResourceAsStream("library-prefixes.txt")) {
            if (in == null) {
                throw new IllegalStateException("library-prefixes.txt is missing from the agent");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String p = line.trim();
                if (!p.isEmpty() && !p.startsWith("#")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toArray(new String[0]);
    }

    private static final InAppPolicy INFERRED = new InAppPolicy(Collections.emptyList());

    private final List<String> packages;

    private InAppPolicy(List<String> packages) {
        this.packages = packages;
    }

    /** In-app frames are inferred: anything that is not the JDK or a well-known library. */
    public static InAppPolicy inferred() {
        return INFERRED;
    }

    /** In-app frames are exactly those under the given packages (e.g. {@code com.shop}); empty means inferred. */
    public static InAppPolicy packages(List<String> packages) {
        if (packages == null || packages.isEmpty()) {
            return INFERRED;
        }
        List<String> prefixes = new ArrayList<>();
        for (String p : packages) {
            String trimmed = p.trim();
            if (!trimmed.isEmpty()) {
                prefixes.add(trimmed.endsWith(".") ? trimmed : trimmed + ".");
            }
        }
        return prefixes.isEmpty() ? INFERRED : new InAppPolicy(Collections.unmodifiableList(prefixes));
    }

    /** Whether the frame {@code class.method} is application code. */
    public boolean isInApp(String frame) {
        if (!packages.isEmpty()) {
            for (String p : packages) {
                if (frame.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
        for (String prefix : LIBRARY_PREFIXES) {
            if (frame.startsWith(prefix)) {
                return false;
            }
        }
        // a class in the default package, or a generated one, is not evidence of application code
        return frame.indexOf('.') < frame.lastIndexOf('.');
    }
}
