package dev.vigil.agent;

import dev.vigil.agent.launcher.AgentLauncher;
import dev.vigil.agent.launcher.AttachCommand;
import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code vigil-agent.jar}: {@code -javaagent} (premain), dynamic attach (agentmain)
 * and the command line ({@code java -jar vigil-agent.jar attach <pid>}).
 *
 * <p>This class is loaded by the system class loader and must stay tiny: it only hands off to the
 * isolated agent class loader, and never lets a failure reach the application.
 */
public final class VigilAgent {
    private VigilAgent() {}

    public static void premain(String args, Instrumentation inst) {
        AgentLauncher.launch(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        AgentLauncher.launch(args, inst, true);
    }

    public static void main(String[] args) {
        System.exit(AttachCommand.run(args, System.out, System.err));
    }
}
