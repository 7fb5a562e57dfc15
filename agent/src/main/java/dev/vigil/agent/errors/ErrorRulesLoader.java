package dev.vigil.agent.errors;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code errors.rules} list of the YAML configuration file:
 *
 * <pre>
 * errors:
 *   rules:
 *     - type: com.shop.PaymentDeclinedException   # matchers: type, message, sql_state, status, component
 *       category: invalid_input                    # outcome: category, retryable, severity, ignore
 *     - message: "(?i)client disconnected"
 *       ignore: true
 * </pre>
 *
 * An invalid rule is reported with its file and line and left out; the other rules still apply.
 */
public final class ErrorRulesLoader {
    /** The rules that were valid, in file order, and one warning per problem. */
    public static final class Result {
        private final List<ErrorRule> rules;
        private final List<String> warnings;

        Result(List<ErrorRule> rules, List<String> warnings) {
            this.rules = Collections.unmodifiableList(rules);
            this.warnings = Collections.unmodifiableList(warnings);
        }

        public List<ErrorRule> rules() {
            return rules;
        }

        public List<String> warnings() {
            return warnings;
        }
    }

    private ErrorRulesLoader() {}

    /** Reads the rules of {@code file}; a missing section gives no rules and no warning. */
    public static Result load(Path file) {
        List<ErrorRule> rules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(4 * 1024 * 1024);
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (IOException | RuntimeException e) {
            // the configuration loader already reported an unreadable or invalid file
            return new Result(rules, warnings);
        }
        Node section = find(root, "vigil", "errors", "rules");
        if (section == null) {
            section = find(root, "errors", "rules");
        }
        if (section == null) {
            section = find(root, "errors.rules");
        }
        if (section == null) {
            return new Result(rules, warnings);
        }
        String name = file.getFileName().toString();
        if (!(section instanceof SequenceNode)) {
            warnings.add(name + ":" + line(section) + ": errors.rules must be a list of rules; no rule applies");
            return new Result(rules, warnings);
        }
        for (Node item : ((SequenceNode) section).getValue()) {
            String where = name + ":" + line(item);
            try {
                rules.add(rule(where, item));
            } catch (IllegalArgumentException e) {
                warnings.add(e.getMessage() + "; this rule is ignored");
            }
        }
        return new Result(rules, warnings);
    }

    private static ErrorRule rule(String where, Node item) {
        if (!(item instanceof MappingNode)) {
            throw new IllegalArgumentException(where + ": a rule must be a mapping such as {type: ..., category: ...}");
        }
        ErrorRule.Builder b = ErrorRule.builder(where);
        for (NodeTuple t : ((MappingNode) item).getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode) || !(t.getValueNode() instanceof ScalarNode)) {
                throw new IllegalArgumentException(where + ": rule fields must be plain key: value pairs");
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue().trim().toLowerCase(Locale.ROOT);
            String value = ((ScalarNode) t.getValueNode()).getValue();
            switch (key) {
                case "type":
                    b.type(value);
                    break;
                case "message":
                    b.message(value);
                    break;
                case "sql_state":
                case "sqlstate":
                    b.sqlState(value);
                    break;
                case "status":
                    b.status(value);
                    break;
                case "component":
                    b.component(value);
                    break;
                case "category":
                    b.category(value);
                    break;
                case "severity":
                    b.severity(value);
                    break;
                case "retryable":
                    b.retryable(bool(where, key, value));
                    break;
                case "ignore":
                    b.ignore(bool(where, key, value));
                    break;
                default:
                    throw new IllegalArgumentException(where + ": unknown rule field '" + key
                            + "'; known: type, message, sql_state, status, component, category, retryable, severity,"
                            + " ignore");
            }
        }
        return b.build();
    }

    private static boolean bool(String where, String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("no")) {
            return false;
        }
        throw new IllegalArgumentException(where + ": " + key + " must be true or false, got '" + value + "'");
    }

    private static Node find(Node node, String... path) {
        Node current = node;
        for (String key : path) {
            if (!(current instanceof MappingNode)) {
                return null;
            }
            Node next = null;
            for (NodeTuple t : ((MappingNode) current).getValue()) {
                if (t.getKeyNode() instanceof ScalarNode
                        && key.equals(((ScalarNode) t.getKeyNode()).getValue().trim())) {
                    next = t.getValueNode();
                }
            }
            current = next;
        }
        return current;
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
