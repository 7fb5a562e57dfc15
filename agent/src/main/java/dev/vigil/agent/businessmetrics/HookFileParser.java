package dev.vigil.agent.businessmetrics;

import dev.vigil.agent.config.ConfigLoader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads the {@code metrics:} list of vigil.yaml (or {@code metrics: {hooks: [...]}}) into
 * {@link HookSpec}s. Every problem is reported as {@code file:line:column: message}; an entry with
 * a problem is left out, the others are kept.
 */
final class HookFileParser {
    private static final Set<String> KEYS = new TreeSet<>(Arrays.asList(
            "name",
            "type",
            "method",
            "value",
            "tags",
            "description",
            "unit",
            "max_series",
            "buckets",
            "histogram",
            "percentiles"));
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_.]*";

    private final String fileName;
    private final List<String> errors = new ArrayList<>();
    private boolean unreadable;

    private HookFileParser(String fileName) {
        this.fileName = fileName;
    }

    /** What a file holds: the valid hooks, every problem found, and whether the file could be read at all. */
    static final class Result {
        final List<HookSpec> hooks;
        final List<String> errors;
        /** True when the file is not YAML, cannot be read, or its hook section is not a list: nothing was read. */
        final boolean unreadable;

        Result(List<HookSpec> hooks, List<String> errors, boolean unreadable) {
            this.hooks = Collections.unmodifiableList(hooks);
            this.errors = Collections.unmodifiableList(errors);
            this.unreadable = unreadable;
        }
    }

    static Result parse(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return parse(file.getFileName().toString(), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new Result(
                    Collections.emptyList(),
                    Collections.singletonList(file + ": cannot read the file: " + e.getMessage()),
                    true);
        }
    }

    static Result parse(String fileName, String text) {
        HookFileParser parser = new HookFileParser(fileName);
        List<HookSpec> hooks = parser.read(text);
        return new Result(hooks, parser.errors, parser.unreadable);
    }

    private List<HookSpec> read(String text) {
        Node root;
        try (Reader reader = new StringReader(text)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(4 * 1024 * 1024);
            root = new Yaml(
                            new SafeConstructor(options),
                            new Representer(new DumperOptions()),
                            new DumperOptions(),
                            options)
                    .compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            fatal(mark, "invalid YAML: " + problem.trim());
            return Collections.emptyList();
        } catch (IOException | RuntimeException e) {
            fatal(null, "cannot read YAML: " + e.getMessage());
            return Collections.emptyList();
        }
        if (root == null) {
            return Collections.emptyList();
        }
        if (!(root instanceof MappingNode)) {
            fatal(root.getStartMark(), "expected a mapping of settings at the top level");
            return Collections.emptyList();
        }
        Node section = section((MappingNode) root);
        if (section == null) {
            return Collections.emptyList();
        }
        if (!(section instanceof SequenceNode)) {
            fatal(section.getStartMark(), "the business metrics must be a list (each item starts with '- name:')");
            return Collections.emptyList();
        }
        List<HookSpec> hooks = new ArrayList<>();
        Map<String, HookSpec> byName = new HashMap<>();
        for (Node item : ((SequenceNode) section).getValue()) {
            HookSpec spec = hook(item);
            if (spec == null) {
                continue;
            }
            HookSpec earlier = byName.get(spec.name());
            if (earlier != null && !earlier.sameMeterAs(spec)) {
                error(
                        item.getStartMark(),
                        "metric '" + spec.name() + "' is already declared at " + earlier.location()
                                + " with another type, tag names or settings; hooks that share a metric must declare it"
                                + " identically");
                continue;
            }
            byName.putIfAbsent(spec.name(), spec);
            hooks.add(spec);
        }
        return hooks;
    }

    /** {@code metrics: [...]}, {@code metrics: {hooks: [...]}}, {@code metrics.hooks: [...]}, under an optional {@code vigil:}. */
    private static Node section(MappingNode root) {
        for (NodeTuple t : root.getValue()) {
            String key = scalar(t.getKeyNode());
            if ("vigil".equals(key) && t.getValueNode() instanceof MappingNode) {
                Node inner = section((MappingNode) t.getValueNode());
                if (inner != null) {
                    return inner;
                }
            } else if ("metrics".equals(key) || "vigil.metrics".equals(key)) {
                if (t.getValueNode() instanceof MappingNode) {
                    Node hooks = child((MappingNode) t.getValueNode(), "hooks");
                    if (hooks != null) {
                        return hooks;
                    }
                } else {
                    return t.getValueNode();
                }
            } else if ("metrics.hooks".equals(key) || "vigil.metrics.hooks".equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private HookSpec hook(Node item) {
        if (!(item instanceof MappingNode)) {
            error(item.getStartMark(), "each business metric must be a mapping with name, type and method");
            return null;
        }
        MappingNode map = (MappingNode) item;
        int before = errors.size();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode());
            if (key == null || !KEYS.contains(key)) {
                error(
                        t.getKeyNode().getStartMark(),
                        "unknown key '" + key + "'" + closest(key) + "; known keys: " + String.join(", ", KEYS));
            }
        }
        String name = requiredScalar(map, "name");
        String typeText = requiredScalar(map, "type");
        String methodText = requiredScalar(map, "method");
        if (errors.size() > before) {
            return null;
        }
        if (!name.matches(NAME)) {
            error(child(map, "name").getStartMark(), "metric name '" + name + "' must be letters, digits, '_' and '.'");
        } else if (name.startsWith("vigil.") || name.startsWith("vigil_")) {
            error(child(map, "name").getStartMark(), "metric names starting with 'vigil' are reserved for the agent");
        }
        MeterKind kind = attempt(child(map, "type"), () -> MeterKind.parse(typeText));
        MethodSelector selector = attempt(child(map, "method"), () -> MethodSelector.parse(methodText));
        if (kind == null || selector == null || errors.size() > before) {
            return null;
        }
        HookSpec.Builder b = HookSpec.builder(name, kind)
                .selector(selector)
                .location(fileName + ":" + (item.getStartMark().getLine() + 1));
        Node valueNode = child(map, "value");
        if (valueNode != null) {
            String v = scalarOrError(valueNode, "value");
            if (kind == MeterKind.TIMER) {
                error(valueNode.getStartMark(), "a timer measures the call's duration and takes no value");
            } else if (v != null) {
                b.value(attempt(valueNode, () -> PropertyPath.parse(v)));
            }
        } else if (kind.needsValue()) {
            error(item.getStartMark(), "a " + kind.label() + " needs a value (argN, return, or a path under them)");
        }
        Node tagsNode = child(map, "tags");
        if (tagsNode instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) tagsNode).getValue()) {
                String key = scalar(t.getKeyNode());
                String source = scalarOrError(t.getValueNode(), "tag '" + key + "'");
                if (key == null || !key.matches(NAME)) {
                    error(t.getKeyNode().getStartMark(), "tag name '" + key + "' must be letters, digits, '_' and '.'");
                } else if (key.equals("service")) {
                    error(
                            t.getKeyNode().getStartMark(),
                            "tag name 'service' is reserved: the agent adds it to every metric");
                } else if (source != null) {
                    TagSource parsed = attempt(t.getValueNode(), () -> TagSource.parse(source));
                    if (parsed != null) {
                        b.tag(key, parsed);
                    }
                }
            }
        } else if (tagsNode != null) {
            error(
                    tagsNode.getStartMark(),
                    "tags must be a mapping of tag name to source, e.g. { region: arg0.region }");
        }
        String description = optionalScalar(map, "description");
        if (description != null) {
            b.description(description);
        }
        String unit = optionalScalar(map, "unit");
        if (unit != null) {
            if (kind == MeterKind.TIMER) {
                error(child(map, "unit").getStartMark(), "a timer is always in seconds; unit is for other meters");
            } else if (!unit.matches("[A-Za-z_]+")) {
                error(child(map, "unit").getStartMark(), "unit '" + unit + "' must be a word such as euros or bytes");
            } else {
                b.unit(unit);
            }
        }
        String maxSeries = optionalScalar(map, "max_series");
        if (maxSeries != null) {
            Integer m = attempt(child(map, "max_series"), () -> positiveInt(maxSeries));
            if (m != null) {
                b.maxSeries(m);
            }
        }
        Node bucketsNode = child(map, "buckets");
        if (bucketsNode != null) {
            if (kind == MeterKind.COUNTER || kind == MeterKind.GAUGE) {
                error(bucketsNode.getStartMark(), "buckets apply to timers and distributions only");
            } else {
                b.buckets(numbers(bucketsNode, "buckets"));
            }
        }
        String histogram = optionalScalar(map, "histogram");
        if (histogram != null) {
            if (!histogram.equals("true") && !histogram.equals("false")) {
                error(child(map, "histogram").getStartMark(), "histogram must be true or false");
            }
            b.histogram(histogram.equals("true"));
        }
        Node percentilesNode = child(map, "percentiles");
        if (percentilesNode != null) {
            double[] p = numbers(percentilesNode, "percentiles");
            if (p != null) {
                for (double q : p) {
                    if (!(q > 0 && q < 1)) {
                        error(percentilesNode.getStartMark(), "percentiles must be between 0 and 1 (exclusive)");
                        break;
                    }
                }
            }
            b.percentiles(p);
        }
        return errors.size() > before ? null : b.build();
    }

    private double[] numbers(Node node, String what) {
        if (!(node instanceof SequenceNode)) {
            error(node.getStartMark(), what + " must be a list of numbers, e.g. [0.1, 0.5, 1]");
            return null;
        }
        List<Node> items = ((SequenceNode) node).getValue();
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            String s = scalar(items.get(i));
            try {
                out[i] = Double.parseDouble(s);
                if (!(out[i] > 0) || Double.isInfinite(out[i]) || i > 0 && out[i] <= out[i - 1]) {
                    error(items.get(i).getStartMark(), what + " must be positive numbers in increasing order");
                    return null;
                }
            } catch (NumberFormatException | NullPointerException e) {
                error(items.get(i).getStartMark(), what + ": '" + s + "' is not a number");
                return null;
            }
        }
        return out;
    }

    private static Integer positiveInt(String s) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 1 && v <= 100_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("max_series must be a whole number from 1 to 100000, got '" + s + "'");
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T attempt(Node at, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            error(at.getStartMark(), e.getMessage());
            return null;
        }
    }

    private String requiredScalar(MappingNode map, String key) {
        Node n = child(map, key);
        if (n == null) {
            error(map.getStartMark(), "missing '" + key + "'");
            return null;
        }
        return scalarOrError(n, key);
    }

    private String optionalScalar(MappingNode map, String key) {
        Node n = child(map, key);
        return n == null ? null : scalarOrError(n, key);
    }

    private String scalarOrError(Node n, String what) {
        String s = scalar(n);
        if (s == null || s.trim().isEmpty()) {
            error(n.getStartMark(), what + " must be a non-empty text");
            return null;
        }
        return s.trim();
    }

    private static Node child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode ? ((ScalarNode) n).getValue() : null;
    }

    private static String closest(String key) {
        return key == null ? "" : ConfigLoader.suggestion(key, KEYS, "");
    }

    private void error(Mark mark, String message) {
        errors.add(at(mark) + message);
    }

    private void fatal(Mark mark, String message) {
        unreadable = true;
        error(mark, message);
    }

    private String at(Mark mark) {
        return mark == null
                ? fileName + ": "
                : fileName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
    }
}
