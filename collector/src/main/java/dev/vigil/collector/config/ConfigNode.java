package dev.vigil.collector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A mapping of the YAML configuration with the position of every value, so every problem can be
 * reported as {@code file:line:column: message}. Getters never throw: a bad value is recorded as a
 * problem (see {@link Problems}) and the default is returned, so one run reports every problem.
 *
 * <p>Scalars may use {@code ${VAR}} or {@code ${VAR:-default}}: they are replaced with the
 * environment variable (an unset variable without default is a problem).
 */
public final class ConfigNode {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Problems problems;
    private final Map<String, String> env;

    ConfigNode(String file, String path, Node node, Problems problems, Map<String, String> env) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        this.env = env;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    if (entries.put(k.getValue(), t) != null) {
                        problem(t.getKeyNode(), "duplicate key " + qualified(k.getValue()));
                    }
                } else {
                    problem(t.getKeyNode(), "keys must be plain names");
                }
            }
        } else if (node != null) {
            problem(node, (path.isEmpty() ? "the configuration" : path) + " must be a mapping of keys to values");
        }
    }

    /**
     * The directory relative paths resolve against: the configuration file's, or the working
     * directory for the built-in defaults.
     */
    public Path baseDir() {
        Path cwd = Path.of("").toAbsolutePath();
        if (file.startsWith("<")) {
            return cwd;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        return parent == null ? cwd : parent;
    }

    /** The dotted path of this section ({@code otlp.tls}); empty at the top. */
    public String path() {
        return path;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** Reports every key not in {@code known}, with the closest known key as a hint. */
    public void allowOnly(Collection<String> known) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                String hint = Suggestions.closest(e.getKey(), known);
                problem(
                        e.getValue().getKeyNode(),
                        "unknown key " + qualified(e.getKey())
                                + (hint != null ? " (did you mean " + qualified(hint) + "?)" : "")
                                + "; valid keys here: " + String.join(", ", known));
            }
        }
    }

    /** A nested mapping; an empty one if the key is absent. */
    public ConfigNode section(String key) {
        NodeTuple t = entries.get(key);
        return new ConfigNode(file, qualified(key), t == null ? null : t.getValueNode(), problems, env);
    }

    public String string(String key, String fallback) {
        ScalarNode s = scalar(key);
        return s == null ? fallback : substitute(s);
    }

    public boolean bool(String key, boolean fallback) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String v = substitute(s).trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        problem(s, qualified(key) + " must be true or false, not \"" + v + "\"");
        return fallback;
    }

    public int integer(String key, int fallback, int min, int max) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String v = substitute(s).trim();
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problem(s, qualified(key) + " must be between " + min + " and " + max + ", not " + n);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(s, qualified(key) + " must be a whole number, not \"" + v + "\"");
            return fallback;
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 3d}; at least {@code min}. */
    public Duration duration(String key, Duration fallback, Duration min) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String v = substitute(s).trim();
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            problem(s, qualified(key) + " must be a duration like 500ms, 30s, 5m, 1h or 3d, not \"" + v + "\"");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        Duration d =
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
        if (d.compareTo(min) < 0) {
            problem(
                    s,
                    qualified(key) + " must be at least "
                            + min.toString().substring(2).toLowerCase(Locale.ROOT) + ", not " + v);
            return fallback;
        }
        return d;
    }

    /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 20MiB}, {@code 1GiB}; between min and max. */
    public long bytes(String key, long fallback, long min, long max) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String v = substitute(s).trim();
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            problem(s, qualified(key) + " must be a size like 1048576, 512KiB, 20MiB or 1GiB, not \"" + v + "\"");
            return fallback;
        }
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "KiB", "KB" -> 1024L;
                    case "MiB", "MB" -> 1024L * 1024;
                    case "GiB", "GB" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            problem(s, qualified(key) + " is too large: " + v);
            return fallback;
        }
        if (n < min || n > max) {
            problem(s, qualified(key) + " must be between " + min + " and " + max + " bytes, not " + v);
            return fallback;
        }
        return n;
    }

    public int port(String key, int fallback) {
        return integer(key, fallback, 0, 65535);
    }

    /** A path, resolved against the configuration file's directory when relative. */
    public Path file(String key, Path fallback, Path baseDir) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        if (v.isBlank()) {
            problem(scalar(key), qualified(key) + " must not be empty");
            return fallback;
        }
        Path p = Path.of(v);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    /** A list of strings (a YAML sequence of scalars); empty if absent. */
    public List<String> strings(String key) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (!(t.getValueNode() instanceof SequenceNode seq)) {
            problem(t.getValueNode(), qualified(key) + " must be a list, e.g. [a, b]");
            return List.of();
        }
        for (Node n : seq.getValue()) {
            if (n instanceof ScalarNode s) {
                out.add(substitute(s));
            } else {
                problem(n, "the items of " + qualified(key) + " must be plain values");
            }
        }
        return out;
    }

    /** One of {@code allowed} (case-insensitive), returned lower-case. */
    public String oneOf(String key, String fallback, List<String> allowed) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return fallback;
        }
        String v = substitute(s).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            problem(s, qualified(key) + " must be one of " + String.join(", ", allowed) + ", not \"" + v + "\"");
            return fallback;
        }
        return v;
    }

    /** Records a problem at a key's value (or at this section when the key is absent). */
    public void problemAt(String key, String message) {
        NodeTuple t = entries.get(key);
        problem(t != null ? t.getValueNode() : node, message);
    }

    /** The raw YAML node of a key, for features that parse their own structures; null if absent. */
    public Node raw(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    private ScalarNode scalar(String key) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        if (t.getValueNode() instanceof ScalarNode s) {
            if (s.getTag().getValue().endsWith(":null")) {
                return null;
            }
            return s;
        }
        problem(t.getValueNode(), qualified(key) + " must be a single value, not a list or mapping");
        return null;
    }

    private String substitute(ScalarNode s) {
        String v = s.getValue();
        if (v.indexOf("${") < 0) {
            return v;
        }
        Matcher m = ENV.matcher(v);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || (value.isEmpty() && m.group(2) != null)) {
                value = m.group(3);
            }
            if (value == null) {
                problem(
                        s,
                        "environment variable " + m.group(1) + " is not set (write ${" + m.group(1)
                                + ":-default} to give a default)");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void problem(Node at, String message) {
        problems.add(position(at) + message);
    }

    private String position(Node at) {
        if (at == null) {
            return file + ": ";
        }
        Mark m = at.getStartMark();
        return file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }

    /** The problems found while reading one configuration. */
    static final class Problems {
        private final List<String> list = new ArrayList<>();

        void add(String p) {
            list.add(p);
        }

        List<String> list() {
            return list;
        }
    }
}
