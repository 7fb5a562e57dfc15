package dev.vigil.agent.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Every thread the agent starts: daemon, named {@code vigil-*}, with the agent's context class loader. */
public final class AgentThreads {
    private AgentThreads() {}

    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        ClassLoader agentLoader = AgentThreads.class.getClassLoader();
        return task -> {
            int i = n.incrementAndGet();
            Thread t = new Thread(task, "vigil-" + name + (i == 1 ? "" : "-" + i));
            t.setDaemon(true);
            t.setContextClassLoader(agentLoader);
            t.setUncaughtExceptionHandler((thread, error) -> dev.vigil.agent.log.AgentLog.get(AgentThreads.class)
                    .error("agent thread " + thread.getName() + " died", error));
            return t;
        };
    }

    public static Thread start(String name, Runnable task) {
        Thread t = factory(name).newThread(task);
        t.start();
        return t;
    }
}
