package dev.vigil.agent.core;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from a resource filtered at build time. */
public final class AgentVersion {
    private static final String VERSION = load();

    private AgentVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/dev/vigil/agent/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "dev";
    }
}
