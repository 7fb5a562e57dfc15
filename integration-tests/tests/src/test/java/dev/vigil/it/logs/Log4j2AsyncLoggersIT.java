package dev.vigil.it.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Log4j 2 with every logger asynchronous (AsyncLoggerContextSelector): the event is taken on the
 * application's thread, appenders run on the disruptor's thread.
 */
class Log4j2AsyncLoggersIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SELECTOR = "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector";

    @Test
    void traceIdsClassifiedErrorsAndJsonLinesWorkWithAsyncLoggers() throws Exception {
        try (OtlpSink sink = OtlpSink.start();
                AgentApp app = AgentApp.start(
                        "log4j2-app",
                        sink,
                        b -> b.systemProperty("log4j2.contextSelector", SELECTOR),
                        "logs.json=console")) {
            String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
            var work = Http.get(app.url("/work"), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            assertThat(work.body()).as("ThreadContext read by the application").isEqualTo(traceId);
            JsonNode line = new ObjectMapper()
                    .readTree(app.process().awaitLine(l -> l.startsWith("{") && l.contains("working on"), WAIT));
            assertThat(line.get("trace_id").asText())
                    .as("rendered on the appender thread")
                    .isEqualTo(traceId);
            assertThat(line.get("thread_name").asText()).isNotEmpty();

            String failTrace = "6bf92f3577b34da6a3ce929d0e0e4736";
            Http.get(app.url("/fail"), "traceparent", "00-" + failTrace + "-00f067aa0ba902b7-01");
            ReceivedLog log = sink.awaitLog(l -> l.traceId().equals(failTrace), WAIT);
            assertThat(log.attributes)
                    .containsEntry("vigil.error.category", "conflict")
                    .containsKey("vigil.error.fingerprint");
            assertThat(app.process().output())
                    .as("the async logger context was really used")
                    .contains("LOG4J CONTEXT AsyncLoggerContext");
            assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
        }
    }
}
