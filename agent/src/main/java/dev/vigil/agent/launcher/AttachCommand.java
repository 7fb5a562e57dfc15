package dev.vigil.agent.launcher;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * {@code java -jar vigil-agent.jar attach <pid> [key=value ...]}: loads the agent into a running JVM
 * and reports the outcome. Exit codes: 0 attached, 1 attach failed, 2 usage error.
 *
 * <p>The Attach API ({@code jdk.attach}) is used reflectively so that this class loads on a JRE too
 * and can explain why attaching is impossible there.
 */
public final class AttachCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private AttachCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        if ("version".equals(args[0]) || "--version".equals(args[0])) {
            out.println("vigil-agent " + version());
            return OK;
        }
        if (!"attach".equals(args[0])) {
            err.println("vigil: unknown command '" + args[0] + "'");
            usage(err);
            return USAGE;
        }
        if (args.length < 2) {
            err.println("vigil: attach needs the process id of the target JVM");
            usage(err);
            return USAGE;
        }
        String pid = args[1];
        if (!pid.matches("[0-9]+")) {
            err.println("vigil: '" + pid + "' is not a process id (expected digits)");
            return USAGE;
        }
        StringBuilder options = new StringBuilder();
        for (int i = 2; i < args.length; i++) {
            if (args[i].indexOf('=') <= 0) {
                err.println("vigil: option '" + args[i] + "' is not of the form key=value");
                return USAGE;
            }
            if (args[i].indexOf(',') >= 0) {
                err.println("vigil: option '" + args[i] + "' must not contain ','; pass one key=value per argument");
                return USAGE;
            }
            if (options.length() > 0) {
                options.append(',');
            }
            options.append(args[i]);
        }
        if (String.valueOf(ProcessHandle.current().pid()).equals(pid)) {
            err.println("vigil: refusing to attach to this attach command itself (pid " + pid + ")");
            return USAGE;
        }
        if (!ProcessHandle.of(Long.parseLong(pid)).isPresent()) {
            err.println("vigil: no process with pid " + pid);
            return FAILED;
        }
        return attach(pid, options.toString(), out, err);
    }

    private static int attach(String pid, String options, PrintStream out, PrintStream err) {
        File jar;
        try {
            jar = AgentLauncher.agentJar();
        } catch (Exception e) {
            err.println("vigil: cannot locate vigil-agent.jar: " + e.getMessage());
            return FAILED;
        }
        Class<?> vmClass;
        try {
            vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
        } catch (ClassNotFoundException e) {
            err.println("vigil: this Java runtime has no Attach API (module jdk.attach); run the attach"
                    + " command with a full JDK (" + System.getProperty("java.home") + " is not one)");
            return FAILED;
        }
        Object vm;
        try {
            vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
        } catch (InvocationTargetException e) {
            err.println("vigil: cannot attach to pid " + pid + ": " + explainAttachFailure(pid, e.getCause()));
            return FAILED;
        } catch (ReflectiveOperationException e) {
            err.println("vigil: cannot attach to pid " + pid + ": " + e);
            return FAILED;
        }
        try {
            Method loadAgent = vmClass.getMethod("loadAgent", String.class, String.class);
            try {
                loadAgent.invoke(vm, jar.getAbsolutePath(), options.isEmpty() ? null : options);
            } catch (InvocationTargetException e) {
                err.println("vigil: the JVM with pid " + pid + " refused the agent: " + describe(e.getCause()));
                return FAILED;
            }
            Properties props =
                    (Properties) vmClass.getMethod("getSystemProperties").invoke(vm);
            String state = props.getProperty(AgentLauncher.STATE_PROPERTY, "unknown");
            if (state.startsWith("failed")) {
                err.println("vigil: agent loaded into pid " + pid + " but did not start: " + state);
                return FAILED;
            }
            out.println("vigil: attached to pid " + pid + " (" + state + ")");
            return OK;
        } catch (ReflectiveOperationException e) {
            err.println("vigil: attach to pid " + pid + " failed: " + describe(e));
            return FAILED;
        } finally {
            try {
                vmClass.getMethod("detach").invoke(vm);
            } catch (ReflectiveOperationException ignored) {
                // the target may already be gone; nothing more to report
            }
        }
    }

    private static String explainAttachFailure(String pid, Throwable cause) {
        String message = describe(cause);
        Path cmdline = Paths.get("/proc", pid, "cmdline");
        if (Files.isReadable(cmdline)) {
            try {
                String command = new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8);
                if (!command.contains("java") && !command.contains("jdk") && !command.contains("jre")) {
                    return "process " + pid + " does not look like a JVM ("
                            + command.replace('\0', ' ').trim() + "): " + message;
                }
            } catch (java.io.IOException ignored) {
                // fall through to the generic message
            }
        }
        if (message.contains("Permission denied") || message.contains("Operation not permitted")) {
            return message + " (attach as the same user that runs the target JVM)";
        }
        return message + " (is it a JVM of this user, started without -XX:+DisableAttachMechanism?)";
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String version() {
        Package p = AttachCommand.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static void usage(PrintStream out) {
        out.println("Usage: java -jar vigil-agent.jar attach <pid> [key=value ...]");
        out.println("       java -jar vigil-agent.jar version");
        out.println("Attaches the Vigil agent to a running JVM. Options are agent settings, e.g.");
        out.println("  service.name=checkout collector.endpoint=http://collector:4318");
        out.println("To attach at start-up instead: java -javaagent:vigil-agent.jar[=key=value,...] -jar app.jar");
    }
}
