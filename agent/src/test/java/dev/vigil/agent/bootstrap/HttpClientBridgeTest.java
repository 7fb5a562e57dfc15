package dev.vigil.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientBridgeTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** Hands out fixed headers and records how requests ended. */
    private static final class FakeHandler implements HttpClientBridge.Handler {
        String tracestate;
        String ended;

        @Override
        public Object start(String method, String url, String host, int port) {
            return method + " " + url;
        }

        @Override
        public String[] propagationHeaders(Object request) {
            return new String[] {TRACEPARENT, tracestate};
        }

        @Override
        public void end(Object request, int status, Throwable error) {
            ended = request + " -> " + status + (error == null ? "" : " " + error.getMessage());
        }
    }

    private final FakeHandler handler = new FakeHandler();

    @BeforeEach
    void install() {
        HttpClientBridge.install(handler);
    }

    @AfterEach
    void uninstall() {
        HttpClientBridge.sending(null);
        HttpClientBridge.install(null);
    }

    @Test
    void headersAreAddedOnlyWhileARequestIsBeingSentOnThisThread() {
        Map<String, List<String>> user = Map.of("Accept", List.of("text/plain"));
        assertThat(HttpClientBridge.withPropagation(user)).isNull();

        HttpClientBridge.sending(HttpClientBridge.start("GET", "http://example.com/", "example.com", 80));
        Map<String, List<String>> sent = HttpClientBridge.withPropagation(user);
        assertThat(sent)
                .containsEntry("Accept", List.of("text/plain"))
                .containsEntry("traceparent", List.of(TRACEPARENT));
        assertThat(sent).doesNotContainKey("tracestate");

        HttpClientBridge.sending(null);
        assertThat(HttpClientBridge.withPropagation(user)).isNull();
    }

    @Test
    void tracestateGoesWithItWhenThereIsOne() {
        handler.tracestate = "vendor=1";
        HttpClientBridge.sending(HttpClientBridge.start("GET", "http://example.com/", "example.com", 80));
        assertThat(HttpClientBridge.withPropagation(Map.of())).containsEntry("tracestate", List.of("vendor=1"));
    }

    @Test
    void traceparentTheApplicationSetIsLeftAloneWhateverItsCase() {
        HttpClientBridge.sending(HttpClientBridge.start("GET", "http://example.com/", "example.com", 80));
        assertThat(HttpClientBridge.withPropagation(Map.of("TraceParent", List.of("00-app-set-01"))))
                .isNull();
    }

    @Test
    void agentThreadsAreNotTraced() {
        Suppression.enter();
        try {
            assertThat(HttpClientBridge.start("GET", "http://collector/v1/traces", "collector", 4318))
                    .isNull();
        } finally {
            Suppression.exit();
        }
    }

    @Test
    void aConnectionsRequestEndsOnceWhicheverCallEndsIt() {
        Object connection = new Object();
        Object request =
                HttpClientBridge.startConnection(connection, "POST", "http://example.com/x", "example.com", 80);
        assertThat(HttpClientBridge.connectionRequest(connection)).isSameAs(request);
        HttpClientBridge.endConnection(connection, request, 201, null);
        assertThat(handler.ended).isEqualTo("POST http://example.com/x -> 201");

        handler.ended = null;
        HttpClientBridge.endConnection(connection, request, 201, null);
        assertThat(handler.ended).as("already ended").isNull();
        assertThat(HttpClientBridge.connectionRequest(connection)).isNull();
    }
}
