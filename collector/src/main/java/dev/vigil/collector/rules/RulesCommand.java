package dev.vigil.collector.rules;

import dev.vigil.collector.runbooks.RunbookTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code java -jar vigil-collector.jar rules export --format prometheus [--rules DIR] [--runbooks DIR]
 * [--out FILE] [--collector-url URL]} (also {@code export-rules}) and {@code rules check}: works
 * without a running collector. Exit codes: 0 fine, 2 invalid rules or arguments, 1 I/O failure.
 */
public final class RulesCommand {
    static final String USAGE = """
            usage: java -jar vigil-collector.jar rules export --format prometheus [--rules DIR] [--runbooks DIR]
                                                 [--out FILE] [--collector-url URL]
                   java -jar vigil-collector.jar rules check [--rules DIR] [--runbooks DIR]
            Defaults: --rules alert-rules, --runbooks runbook-templates, output on standard output,
            --collector-url http://localhost:9096.""";

    private RulesCommand() {}

    /** True when {@code args} is a rules command this class handles. */
    public static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals("rules") || args[0].equals("export-rules"));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int i = 0;
        String action;
        if (args[0].equals("export-rules")) {
            action = "export";
            i = 1;
        } else if (args.length > 1 && (args[1].equals("export") || args[1].equals("check"))) {
            action = args[1];
            i = 2;
        } else {
            err.println(USAGE);
            return 2;
        }
        Path rules = Path.of("alert-rules");
        Path runbooks = Path.of("runbook-templates");
        Path outFile = null;
        String url = "http://localhost:9096";
        String format = "prometheus";
        for (; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                err.println("missing value after " + a + "\n" + USAGE);
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--rules" -> rules = Path.of(v);
                case "--runbooks" -> runbooks = Path.of(v);
                case "--out" -> outFile = Path.of(v);
                case "--collector-url" -> url = v;
                case "--format" -> format = v;
                default -> {
                    err.println("unknown argument: " + a + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (!format.equals("prometheus")) {
            err.println("--format: only prometheus is supported, not " + format);
            return 2;
        }
        RuleSet set;
        try {
            set = RuleFileLoader.create(
                            rules, Duration.ofSeconds(30), new RunbookTemplates(runbooks), Clock.systemUTC())
                    .load();
        } catch (RuleLoadException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (action.equals("check")) {
            out.println(rules + ": " + set.rules().size() + " rules OK");
            return 0;
        }
        String text = PrometheusRuleExport.export(set, url, rules.toString());
        if (outFile == null) {
            out.print(text);
            return 0;
        }
        try {
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(outFile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot write " + outFile + ": " + e);
            return 1;
        }
        return 0;
    }
}
