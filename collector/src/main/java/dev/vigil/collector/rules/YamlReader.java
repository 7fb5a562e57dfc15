package dev.vigil.collector.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a composed YAML node tree and records a {@link RuleProblem} with the
 * node's line and column for every value that does not fit. Readers return {@code null} after a
 * problem so that validation goes on and reports everything at once.
 */
final class YamlReader {
    private final String file;
    private final List<RuleProblem> problems;

    YamlReader(String file, List<RuleProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    String file() {
        return file;
    }

    List<RuleProblem> problems() {
        return problems;
    }

    void problem(Node at, String message) {
        if (at == null) {
            problems.add(new RuleProblem(file, 0, 0, message));
            return;
        }
        Mark mark = at.getStartMark();
        problems.add(new RuleProblem(file, mark.getLine() + 1, mark.getColumn() + 1, message));
    }

    static String location(String file, Node node) {
        return file + ":" + (node.getStartMark().getLine() + 1);
    }

    /** A mapping's entries by key, in order; duplicate and non-scalar keys are problems. */
    Fields fields(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + " must be a mapping (key: value), not " + describe(node));
            return null;
        }
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problem(t.getKeyNode(), "keys of " + what + " must be plain names");
                continue;
            }
            if (values.containsKey(key.getValue())) {
                problem(
                        key,
                        "'" + key.getValue() + "' is given twice in " + what + " (first on line "
                                + (keys.get(key.getValue()).getStartMark().getLine() + 1) + ")");
                continue;
            }
            values.put(key.getValue(), t.getValueNode());
            keys.put(key.getValue(), key);
        }
        return new Fields(node, what, values, keys);
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            return s.getTag().equals(Tag.NULL) ? "empty" : "'" + s.getValue() + "'";
        }
        return "nothing";
    }

    /** The fields of one mapping, with typed getters that report problems at the value's position. */
    final class Fields {
        private final Node node;
        private final String what;
        private final Map<String, Node> values;
        private final Map<String, Node> keys;
        private final Set<String> read = new HashSet<>();

        Fields(Node node, String what, Map<String, Node> values, Map<String, Node> keys) {
            this.node = node;
            this.what = what;
            this.values = values;
            this.keys = keys;
        }

        Node node() {
            return node;
        }

        boolean has(String key) {
            read.add(key);
            return values.containsKey(key) && !isNull(values.get(key));
        }

        Node raw(String key) {
            read.add(key);
            return values.get(key);
        }

        Node keyNode(String key) {
            return keys.get(key);
        }

        /** Reports every key that no getter asked for, with the closest known key. */
        void rejectUnknown(Set<String> known) {
            for (Map.Entry<String, Node> e : keys.entrySet()) {
                if (!known.contains(e.getKey())) {
                    String hint = Suggestions.closest(e.getKey(), known);
                    problem(
                            e.getValue(),
                            "unknown field '" + e.getKey() + "' in " + what
                                    + (hint == null
                                            ? "; known fields: " + String.join(", ", new java.util.TreeSet<>(known))
                                            : "; did you mean '" + hint + "'?"));
                }
            }
        }

        String string(String key, boolean required) {
            Node v = raw(key);
            if (v == null || isNull(v)) {
                if (required) {
                    problem(node, what + " needs '" + key + "'");
                }
                return null;
            }
            if (!(v instanceof ScalarNode s)) {
                problem(v, "'" + key + "' must be text, not " + describe(v));
                return null;
            }
            return s.getValue();
        }

        Double number(String key, boolean required) {
            Node v = raw(key);
            if (v == null || isNull(v)) {
                if (required) {
                    problem(node, what + " needs '" + key + "' (a number)");
                }
                return null;
            }
            if (!(v instanceof ScalarNode s)
                    || !(s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
                problem(v, "'" + key + "' must be a number, not " + describe(v));
                return null;
            }
            try {
                double d = Double.parseDouble(s.getValue().replace("_", ""));
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    problem(v, "'" + key + "' must be a finite number");
                    return null;
                }
                return d;
            } catch (NumberFormatException e) {
                problem(v, "'" + key + "' must be a number, not " + describe(v));
                return null;
            }
        }

        Duration duration(String key, boolean required) {
            Node v = raw(key);
            if (v == null || isNull(v)) {
                if (required) {
                    problem(node, what + " needs '" + key + "' (a duration such as 5m)");
                }
                return null;
            }
            if (!(v instanceof ScalarNode s)) {
                problem(v, "'" + key + "' must be a duration such as 5m, not " + describe(v));
                return null;
            }
            try {
                return Durations.parse(s.getValue());
            } catch (IllegalArgumentException e) {
                problem(v, "'" + key + "': " + e.getMessage());
                return null;
            }
        }

        List<String> strings(String key) {
            Node v = raw(key);
            if (v == null || isNull(v)) {
                return null;
            }
            if (!(v instanceof SequenceNode seq)) {
                problem(v, "'" + key + "' must be a list such as [service], not " + describe(v));
                return null;
            }
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s) || isNull(item)) {
                    problem(item, "items of '" + key + "' must be names, not " + describe(item));
                    return null;
                }
                out.add(s.getValue());
            }
            return out;
        }

        /** A mapping of scalar values (labels, annotations, where); keys in file order. */
        Map<String, ScalarNode> scalarMap(String key) {
            Node v = raw(key);
            if (v == null || isNull(v)) {
                return null;
            }
            Fields f = fields(v, "'" + key + "'");
            if (f == null) {
                return null;
            }
            Map<String, ScalarNode> out = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : f.values.entrySet()) {
                Node value = e.getValue();
                if (!(value instanceof ScalarNode s)) {
                    problem(value, "'" + key + "." + e.getKey() + "' must be text, not " + describe(value));
                    continue;
                }
                out.put(e.getKey(), s);
            }
            return out;
        }
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }
}
