package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.config.ConfigException;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.store.DataDirBackup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar vigil-collector.jar [--config collector.yaml]} runs the collector;
 * {@code java -jar vigil-collector.jar validate --config collector.yaml} only checks the
 * configuration. Exit codes: 0 fine, 1 could not start, 2 invalid configuration or arguments.
 */
public final class CollectorMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int INVALID = 2;

    private static final String USAGE = """
            usage: java -jar vigil-collector.jar [run] [--config FILE]
                   java -jar vigil-collector.jar validate --config FILE
                   java -jar vigil-collector.jar backup --config FILE --to BACKUP.db
                   java -jar vigil-collector.jar restore --config FILE --from BACKUP.db
                   java -jar vigil-collector.jar rules export --format prometheus [--rules DIR] [--out FILE]
                   java -jar vigil-collector.jar rules check [--rules DIR] [--runbooks DIR]
                   java -jar vigil-collector.jar --version
            Without --config the collector starts on built-in defaults for a laptop demo
            (loopback only, no tokens, data in ./vigil-data). See docs/configuration.md.""";

    private CollectorMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs the command; returns only for {@code validate}, errors, and after a shutdown. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (dev.vigil.collector.rules.RulesCommand.handles(args)) {
            return dev.vigil.collector.rules.RulesCommand.run(args, out, err);
        }
        String command = "run";
        Path configFile = null;
        Path backupFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "run", "validate", "backup", "restore" -> command = a;
                case "--to", "--from" -> {
                    if (i + 1 >= args.length) {
                        err.println(a + " needs a file\n" + USAGE);
                        return INVALID;
                    }
                    backupFile = Path.of(args[++i]);
                }
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file\n" + USAGE);
                        return INVALID;
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return OK;
                }
                case "--version" -> {
                    out.println("vigil-collector " + version());
                    return OK;
                }
                default -> {
                    if (a.startsWith("--config=")) {
                        configFile = Path.of(a.substring("--config=".length()));
                    } else {
                        err.println("unknown argument: " + a + "\n" + USAGE);
                        return INVALID;
                    }
                }
            }
        }
        if (!command.equals("run") && configFile == null) {
            err.println(command + " needs --config FILE\n" + USAGE);
            return INVALID;
        }
        if ((command.equals("backup") || command.equals("restore")) && backupFile == null) {
            err.println(command + " needs " + (command.equals("backup") ? "--to" : "--from") + " FILE\n" + USAGE);
            return INVALID;
        }
        List<CollectorFeature> features = Collector.features();
        CollectorConfig config;
        try {
            config = load(configFile, features);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                err.println(p);
            }
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " in the configuration");
            return INVALID;
        }
        if (command.equals("validate")) {
            out.println(configFile + ": OK");
            return OK;
        }
        if (command.equals("backup") || command.equals("restore")) {
            return backupOrRestore(command, config.dataDir(), backupFile, out, err);
        }
        LogSetup.apply(config.log());
        Logger log = LoggerFactory.getLogger(CollectorMain.class);
        if (configFile == null) {
            log.warn("no --config given: running on the built-in demo defaults (loopback only, no tokens)");
        }
        CollectorServer server;
        try {
            server = CollectorServer.start(config, features);
        } catch (Exception e) {
            log.error("vigil-collector could not start: {}", e.getMessage(), e);
            err.println("vigil-collector could not start: " + e.getMessage());
            return FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "vigil-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static int backupOrRestore(String command, Path dataDir, Path file, PrintStream out, PrintStream err) {
        try {
            if (command.equals("backup")) {
                DataDirBackup.backup(dataDir, file);
                out.println("backed up " + dataDir.resolve(DataDirBackup.DATABASE) + " to " + file);
            } else {
                Path replaced = DataDirBackup.restore(file, dataDir);
                out.println("restored " + file + " into " + dataDir
                        + (replaced == null ? "" : "; the replaced files are in " + replaced));
            }
            return OK;
        } catch (DataDirBackup.BackupException e) {
            err.println(command + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static CollectorConfig load(Path file, List<CollectorFeature> features) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(System.getenv());
        for (CollectorFeature f : features) {
            Set<String> sections = new LinkedHashSet<>(f.configSections());
            loader.featureSections(sections, f::configure);
        }
        return file == null ? loader.defaults() : loader.load(file);
    }

    private static String version() {
        String v = CollectorMain.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
