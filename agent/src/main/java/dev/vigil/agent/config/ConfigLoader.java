package dev.vigil.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

/**
 * Builds an {@link AgentConfig} from its layers, weakest first: built-in defaults, the YAML file,
 * the environment ({@code OTEL_*}, then {@code VIGIL_*}), system properties ({@code -Dotel.*}, then
 * {@code -Dvigil.*}), then the agent arguments. Never throws: every problem becomes a warning.
 */
public final class ConfigLoader {
    /** Structured (list) sections of the YAML file and what reads them. */
    static final Map<String, String> SECTIONS = Map.of(
            "metrics", "business metrics",
            "metrics.hooks", "business metrics beside other metrics settings",
            "errors.rules", "error rules");

    private static final Map<String, String> OTEL_ENV = Map.of(
            "OTEL_SERVICE_NAME", "service.name",
            "OTEL_RESOURCE_ATTRIBUTES", "resource.attributes",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "collector.endpoint",
            "OTEL_EXPORTER_OTLP_HEADERS", "collector.headers");

    /** Property names that belong to the agent but are not settings. */
    private static final Set<String> INTERNAL_PROPERTIES = Set.of("agent.state", "agent.bridge");

    private String agentArgs;
    private Map<String, String> environment = Collections.emptyMap();
    private Map<String, String> systemProperties = Collections.emptyMap();
    private Set<String> instrumentationNames = Collections.emptySet();

    private ConfigLoader() {}

    public static ConfigLoader builder() {
        return new ConfigLoader();
    }

    public ConfigLoader agentArgs(String args) {
        this.agentArgs = args;
        return this;
    }

    public ConfigLoader environment(Map<String, String> env) {
        this.environment = env;
        return this;
    }

    public ConfigLoader systemProperties(Map<String, String> props) {
        this.systemProperties = props;
        return this;
    }

    /** Names of the known instrumentations, to validate {@code instrumentation.<name>.enabled}. */
    public ConfigLoader instrumentationNames(Set<String> names) {
        this.instrumentationNames = names;
        return this;
    }

    public AgentConfig load() {
        List<String> warnings = new ArrayList<>();
        // key (without "vigil.") -> raw value and source label; later layers overwrite earlier ones
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> rawSource = new HashMap<>();
        Set<String> sections = new LinkedHashSet<>();

        Map<String, String> args = parseAgentArgs(agentArgs, warnings);
        String file =
                firstNonNull(args.get("config"), systemProperties.get("vigil.config"), environment.get("VIGIL_CONFIG"));
        if (file != null && !file.trim().isEmpty()) {
            readFile(Paths.get(file.trim()), raw, rawSource, sections, warnings);
        }

        for (Map.Entry<String, String> e : OTEL_ENV.entrySet()) {
            put(raw, rawSource, e.getValue(), environment.get(e.getKey()), "environment " + e.getKey());
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
            if (e.getKey().startsWith("VIGIL_")) {
                String key = e.getKey().substring(6).toLowerCase(Locale.ROOT).replace('_', '.');
                put(raw, rawSource, key, e.getValue(), "environment " + e.getKey());
            }
        }
        for (Map.Entry<String, String> e : OTEL_ENV.entrySet()) {
            String prop = e.getKey().toLowerCase(Locale.ROOT).replace('_', '.');
            put(raw, rawSource, e.getValue(), systemProperties.get(prop), "system property " + prop);
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(systemProperties).entrySet()) {
            if (e.getKey().startsWith("vigil.")) {
                put(raw, rawSource, e.getKey().substring(6), e.getValue(), "system property " + e.getKey());
            }
        }
        for (Map.Entry<String, String> e : args.entrySet()) {
            put(raw, rawSource, e.getKey(), e.getValue(), "agent argument " + e.getKey());
        }

        Map<String, ConfigKey<?>> known = new HashMap<>();
        for (ConfigKey<?> key : AgentSettings.all()) {
            known.put(key.name(), key);
        }
        Map<ConfigKey<?>, Object> values = new HashMap<>();
        Map<ConfigKey<?>, String> sources = new HashMap<>();
        for (ConfigKey<?> key : AgentSettings.all()) {
            if (key.defaultValue() != null) {
                values.put(key, key.parse(key.defaultValue()));
            }
        }
        Map<String, Boolean> switches = new HashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            String source = rawSource.get(name);
            if (INTERNAL_PROPERTIES.contains(name)) {
                continue;
            }
            ConfigKey<?> key = known.get(name);
            if (key != null) {
                try {
                    values.put(key, key.parse(e.getValue()));
                    sources.put(key, source);
                } catch (IllegalArgumentException bad) {
                    warnings.add("ignoring vigil." + name + " from " + source + ": " + bad.getMessage()
                            + "; using the default"
                            + (key.defaultValue() == null ? " (unset)" : " " + key.defaultValue()));
                }
            } else if (name.startsWith("instrumentation.") && name.endsWith(".enabled")) {
                String instrumentation = name.substring(16, name.length() - 8);
                if (instrumentationNames.contains(instrumentation)) {
                    try {
                        switches.put(instrumentation, ConfigValues.bool(e.getValue()));
                    } catch (IllegalArgumentException bad) {
                        warnings.add("ignoring vigil." + name + " from " + source + ": " + bad.getMessage());
                    }
                } else {
                    warnings.add("unknown instrumentation '" + instrumentation + "' in vigil." + name + " from "
                            + source + suggestion(instrumentation, instrumentationNames, "")
                            + "; known: " + String.join(", ", new java.util.TreeSet<>(instrumentationNames)));
                }
            } else {
                warnings.add("unknown setting vigil." + name + " from " + source
                        + suggestion(name, candidateNames(), "vigil.") + "; it is ignored");
            }
        }
        return new AgentConfig(values, sources, switches, sections, warnings);
    }

    private Set<String> candidateNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigKey<?> key : AgentSettings.all()) {
            names.add(key.name());
        }
        for (String instrumentation : instrumentationNames) {
            names.add(AgentSettings.instrumentationSwitch(instrumentation));
        }
        return names;
    }

    private static void put(
            Map<String, String> raw, Map<String, String> source, String key, String value, String from) {
        if (value != null) {
            raw.put(key, value);
            source.put(key, from);
        }
    }

    /** Agent arguments: {@code key=value} pairs separated by commas; keys may carry the {@code vigil.} prefix. */
    static Map<String, String> parseAgentArgs(String args, List<String> warnings) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null || args.trim().isEmpty()) {
            return out;
        }
        for (String pair : args.split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                warnings.add("ignoring agent argument '" + p + "': expected key=value"
                        + " (separate pairs with ',' and list items with ';')");
                continue;
            }
            String key = p.substring(0, eq).trim();
            if (key.startsWith("vigil.")) {
                key = key.substring(6);
            }
            out.put(key, p.substring(eq + 1).trim());
        }
        return out;
    }

    private static void readFile(
            Path path,
            Map<String, String> raw,
            Map<String, String> source,
            Set<String> sections,
            List<String> warnings) {
        if (!Files.isRegularFile(path)) {
            warnings.add("configuration file " + path + " does not exist or is not a file; it is ignored");
            return;
        }
        Node root;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(4 * 1024 * 1024);
            root = new Yaml(
                            new SafeConstructor(options),
                            new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                            new org.yaml.snakeyaml.DumperOptions(),
                            options)
                    .compose(reader);
        } catch (MarkedYAMLException e) {
            warnings.add(describe(path, e) + "; the whole file is ignored");
            return;
        } catch (IOException | RuntimeException e) {
            warnings.add("cannot read configuration file " + path + ": " + e.getMessage() + "; it is ignored");
            return;
        }
        if (root == null) {
            return; // empty file
        }
        if (!(root instanceof MappingNode)) {
            warnings.add(at(path, root.getStartMark()) + "expected a mapping of settings at the top level;"
                    + " the whole file is ignored");
            return;
        }
        flatten(path, "", (MappingNode) root, raw, source, sections, warnings);
    }

    private static void flatten(
            Path path,
            String prefix,
            MappingNode node,
            Map<String, String> raw,
            Map<String, String> source,
            Set<String> sections,
            List<String> warnings) {
        for (NodeTuple tuple : node.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode)) {
                warnings.add(at(path, tuple.getKeyNode().getStartMark()) + "keys must be plain names; ignored");
                continue;
            }
            String name = ((ScalarNode) tuple.getKeyNode()).getValue().trim();
            if (prefix.isEmpty() && "vigil".equals(name) && tuple.getValueNode() instanceof MappingNode) {
                flatten(path, "", (MappingNode) tuple.getValueNode(), raw, source, sections, warnings);
                continue;
            }
            String key = prefix + name;
            if (key.startsWith("vigil.")) {
                key = key.substring(6);
            }
            Node value = tuple.getValueNode();
            String where = "file " + path.getFileName() + ":"
                    + (tuple.getKeyNode().getStartMark().getLine() + 1);
            if (value instanceof MappingNode) {
                flatten(path, key + ".", (MappingNode) value, raw, source, sections, warnings);
            } else if (value instanceof SequenceNode) {
                SequenceNode seq = (SequenceNode) value;
                boolean scalars = true;
                List<String> items = new ArrayList<>();
                for (Node item : seq.getValue()) {
                    if (item instanceof ScalarNode) {
                        items.add(((ScalarNode) item).getValue());
                    } else {
                        scalars = false;
                    }
                }
                if (SECTIONS.containsKey(key)) {
                    sections.add(key);
                } else if (scalars) {
                    put(raw, source, key, String.join(",", items), where);
                } else {
                    warnings.add(at(path, value.getStartMark()) + "'" + key + "' is not a known list section"
                            + suggestion(key, SECTIONS.keySet(), "") + "; ignored");
                }
            } else {
                put(raw, source, key, ((ScalarNode) value).getValue(), where);
            }
        }
    }

    private static String describe(Path path, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        return (mark == null ? path + ": " : at(path, mark)) + "invalid YAML: " + problem;
    }

    private static String at(Path path, Mark mark) {
        return path + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
    }

    /** ", did you mean vigil.metrics.port?" for the closest known name, or nothing if none is close. */
    public static String suggestion(String name, Set<String> candidates, String prefix) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= tolerance ? "; did you mean " + prefix + best + "?" : "";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
