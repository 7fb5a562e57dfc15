package dev.vigil.agent.export;

/**
 * Takes an encoded OTLP request and gets it to the collector. Implementations decide what happens
 * when the collector is unavailable (retry, buffer, drop), and must count every item they give up.
 */
public interface Delivery {
    /**
     * Delivers one request. Called from agent threads; may block the calling agent thread, never an
     * application thread.
     *
     * @param items number of spans / log records / metric points in the request, for accounting
     */
    void deliver(Signal signal, byte[] protobuf, int items);

    /** Stops delivery, trying to send what is pending within a bounded time. */
    default void shutdown() {}
}
