package dev.vigil.agent.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A collector stand-in: answers with scripted results (success once the script runs out) and records what it got. */
final class FakeTransport implements OtlpTransport {
    private final Deque<SendResult> script = new ArrayDeque<>();
    private SendResult whenScriptEmpty = SendResult.success();
    final List<String> attempts = new ArrayList<>();
    final List<String> accepted = new ArrayList<>();

    /** The next answers, in order. */
    FakeTransport then(SendResult... results) {
        script.addAll(List.of(results));
        return this;
    }

    /** The answer to every request once the script is used up. */
    FakeTransport always(SendResult result) {
        whenScriptEmpty = result;
        return this;
    }

    @Override
    public SendResult send(Signal signal, byte[] protobuf) {
        String body = new String(protobuf, StandardCharsets.UTF_8);
        attempts.add(body);
        SendResult r = script.isEmpty() ? whenScriptEmpty : script.poll();
        if (r.isSuccess()) {
            accepted.add(body);
        }
        return r;
    }

    @Override
    public String endpoint() {
        return "http://collector.test:4318";
    }

    static SendResult unavailable() {
        return SendResult.retryable(503, -1, "http_503");
    }

    static SendResult refused() {
        return SendResult.retryable(0, -1, "connect: cannot connect");
    }
}
