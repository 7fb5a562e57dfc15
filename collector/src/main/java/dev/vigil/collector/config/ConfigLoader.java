package dev.vigil.collector.config;

import dev.vigil.collector.store.Synchronous;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the collector's YAML configuration: every key checked (unknown keys get the closest valid
 * one as a hint), every value checked, every problem reported at once as {@code file:line:column:
 * message}. Without a file, the built-in laptop-demo defaults apply (see {@link #DEMO}).
 */
public final class ConfigLoader {
    static final long MIB = 1024L * 1024;

    /**
     * What runs without a configuration file: everything on loopback, no tokens, data in
     * {@code ./vigil-data}. Good for trying Vigil out on one machine, not for a shared network.
     */
    public static final String DEMO = """
            data_dir: ./vigil-data
            otlp:
              host: 127.0.0.1
              allow_unauthenticated: true
            http:
              host: 127.0.0.1
              allow_unauthenticated: true
            """;

    private static final Set<String> TOP =
            Set.of("data_dir", "otlp", "http", "store", "metrics", "errors", "instances", "log");

    private final Map<String, String> env;
    private final Set<String> featureSections = new LinkedHashSet<>();
    private final List<Consumer<ConfigNode>> featureReaders = new ArrayList<>();

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * A feature's own top-level sections: the loader accepts those keys and hands the root to
     * {@code reader}, which reads and checks them and reports problems through the node.
     */
    public ConfigLoader featureSections(Set<String> sections, Consumer<ConfigNode> reader) {
        featureSections.addAll(sections);
        featureReaders.add(reader);
        return this;
    }

    /** Loads a file. */
    public CollectorConfig load(Path file) throws ConfigException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": no such file"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(file + ": not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, base, file);
    }

    /** The built-in demo configuration (relative paths against the working directory). */
    public CollectorConfig defaults() throws ConfigException {
        return parse("<built-in defaults>", DEMO, Path.of("").toAbsolutePath(), null);
    }

    CollectorConfig parse(String name, String text, Path base, Path source) throws ConfigException {
        Node rootNode;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported with their line by ConfigNode instead
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(4 * 1024 * 1024);
            rootNode = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            String where = m == null ? name + ": " : name + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
            throw new ConfigException(List.of(where + "invalid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            throw new ConfigException(List.of(name + ": invalid YAML: " + e.getMessage()));
        }
        ConfigNode.Problems problems = new ConfigNode.Problems();
        ConfigNode root = new ConfigNode(name, "", rootNode, problems, env);
        Set<String> known = new LinkedHashSet<>(TOP);
        known.addAll(featureSections);
        root.allowOnly(known);

        Path dataDir = root.file("data_dir", base.resolve("vigil-data"), base);

        ConfigNode o = root.section("otlp");
        o.allowOnly(List.of(
                "host",
                "port",
                "tokens",
                "allow_unauthenticated",
                "max_request_size",
                "max_decompressed_size",
                "max_in_flight_size",
                "retry_after",
                "tls"));
        long maxRequest = o.bytes("max_request_size", 20 * MIB, 1024, 1024 * MIB);
        long maxDecompressed = o.bytes("max_decompressed_size", 64 * MIB, 1024, 1024 * MIB);
        long maxInFlight = o.bytes("max_in_flight_size", 256 * MIB, 1024, 16 * 1024 * MIB);
        if (maxDecompressed < maxRequest) {
            o.problemAt("max_decompressed_size", "otlp.max_decompressed_size must be at least otlp.max_request_size");
        }
        if (maxInFlight < maxDecompressed) {
            o.problemAt("max_in_flight_size", "otlp.max_in_flight_size must be at least otlp.max_decompressed_size");
        }
        CollectorConfig.Otlp otlp = new CollectorConfig.Otlp(
                o.string("host", "0.0.0.0"),
                o.port("port", 4318),
                tokens(o, "tokens"),
                o.bool("allow_unauthenticated", false),
                maxRequest,
                maxDecompressed,
                maxInFlight,
                o.duration("retry_after", Duration.ofSeconds(5), Duration.ofSeconds(1)),
                tls(o.section("tls"), base));
        if (otlp.tokens().isEmpty() && !otlp.allowUnauthenticated()) {
            o.problemAt(
                    "tokens", "otlp.tokens is empty: list the ingest tokens, or set otlp.allow_unauthenticated: true");
        }

        ConfigNode h = root.section("http");
        h.allowOnly(
                List.of("host", "port", "public_url", "api_tokens", "admin_tokens", "allow_unauthenticated", "tls"));
        CollectorConfig.Http http = new CollectorConfig.Http(
                h.string("host", "0.0.0.0"),
                h.port("port", 9096),
                h.string("public_url", null),
                tokens(h, "api_tokens"),
                tokens(h, "admin_tokens"),
                h.bool("allow_unauthenticated", false),
                tls(h.section("tls"), base));
        if (http.adminTokens().isEmpty() && http.apiTokens().isEmpty() && !http.allowUnauthenticated()) {
            h.problemAt(
                    "admin_tokens",
                    "http.api_tokens and http.admin_tokens are empty: list tokens, or set http.allow_unauthenticated: true");
        }
        for (String t : http.apiTokens()) {
            if (otlp.tokens().contains(t)) {
                h.problemAt("api_tokens", "an API token must not also be an ingest token (otlp.tokens)");
            }
        }
        for (String t : http.adminTokens()) {
            if (otlp.tokens().contains(t)) {
                h.problemAt("admin_tokens", "an admin token must not also be an ingest token (otlp.tokens)");
            }
        }
        if (http.publicUrl() != null && !http.publicUrl().matches("https?://[^\\s]+")) {
            h.problemAt(
                    "public_url",
                    "http.public_url must be an http:// or https:// URL, not \"" + http.publicUrl() + "\"");
        }
        if (otlp.port() != 0 && otlp.port() == http.port()) {
            h.problemAt("port", "http.port and otlp.port must differ (both " + http.port() + ")");
        }

        ConfigNode s = root.section("store");
        s.allowOnly(List.of("synchronous"));
        CollectorConfig.Store store = new CollectorConfig.Store(Synchronous.valueOf(
                s.oneOf("synchronous", "full", List.of("full", "normal")).toUpperCase(Locale.ROOT)));

        ConfigNode m = root.section("metrics");
        m.allowOnly(List.of("retention", "max_series"));
        CollectorConfig.Metrics metrics = new CollectorConfig.Metrics(
                m.duration("retention", Duration.ofDays(3), Duration.ofMinutes(10)),
                m.integer("max_series", 50_000, 1, 10_000_000));

        ConfigNode e = root.section("errors");
        e.allowOnly(List.of(
                "max_groups", "new_period", "resolve_after", "count_retention", "in_app_packages", "queue_capacity"));
        CollectorConfig.Errors errors = new CollectorConfig.Errors(
                e.integer("max_groups", 10_000, 1, 10_000_000),
                e.duration("new_period", Duration.ofHours(1), Duration.ofMinutes(1)),
                e.duration("resolve_after", Duration.ZERO, Duration.ZERO),
                e.duration("count_retention", Duration.ofDays(3), Duration.ofHours(1)),
                e.strings("in_app_packages"),
                e.integer("queue_capacity", 100_000, 100, 10_000_000));

        ConfigNode i = root.section("instances");
        i.allowOnly(List.of("silent_after", "forget_after"));
        CollectorConfig.Instances instances = new CollectorConfig.Instances(
                i.duration("silent_after", Duration.ofMinutes(2), Duration.ofSeconds(10)),
                i.duration("forget_after", Duration.ofDays(7), Duration.ofMinutes(10)));

        ConfigNode l = root.section("log");
        l.allowOnly(List.of("level", "format"));
        CollectorConfig.Log logSettings = new CollectorConfig.Log(
                l.oneOf("level", "info", List.of("error", "warn", "info", "debug", "trace")),
                l.oneOf("format", "json", List.of("json", "text")));

        for (Consumer<ConfigNode> reader : featureReaders) {
            reader.accept(root);
        }
        if (!problems.list().isEmpty()) {
            throw new ConfigException(problems.list());
        }
        return new CollectorConfig(source, dataDir, otlp, http, store, metrics, errors, instances, logSettings, root);
    }

    private static List<String> tokens(ConfigNode n, String key) {
        List<String> tokens = new ArrayList<>();
        for (String t : n.strings(key)) {
            if (t.isBlank()) {
                n.problemAt(key, n.path() + "." + key + " has an empty token (an unset environment variable?)");
            } else if (t.length() < 16) {
                n.problemAt(key, n.path() + "." + key + " has a token shorter than 16 characters; use a random one");
            } else {
                tokens.add(t);
            }
        }
        return List.copyOf(tokens);
    }

    private static CollectorConfig.Tls tls(ConfigNode t, Path base) {
        t.allowOnly(List.of("cert", "key"));
        Path cert = t.file("cert", null, base);
        Path key = t.file("key", null, base);
        if ((cert == null) != (key == null)) {
            t.problemAt(cert == null ? "key" : "cert", t.path() + " needs both cert and key (PEM files)");
            return new CollectorConfig.Tls(null, null);
        }
        if (cert != null) {
            if (!Files.isReadable(cert)) {
                t.problemAt("cert", t.path() + ".cert: cannot read " + cert);
            }
            if (!Files.isReadable(key)) {
                t.problemAt("key", t.path() + ".key: cannot read " + key);
            }
        }
        return new CollectorConfig.Tls(cert, key);
    }
}
