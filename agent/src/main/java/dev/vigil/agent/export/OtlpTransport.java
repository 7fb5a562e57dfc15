package dev.vigil.agent.export;

/**
 * Sends one encoded OTLP request to the collector and classifies the outcome. {@link OtlpHttpSender}
 * is the real one; delivery logic is tested against fakes of this interface.
 */
public interface OtlpTransport {
    /** Sends one request; never throws: every failure comes back as a {@link SendResult}. */
    SendResult send(Signal signal, byte[] protobuf);

    /** Where requests go, for messages. */
    String endpoint();
}
