package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.JavaProcess;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.Ports;
import dev.vigil.it.harness.TestEnv;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An app that bundles its own Netty 4.1, OpenTelemetry API/SDK, Logback 1.4/SLF4J 2, Jackson and
 * ByteBuddy 1.14 (other versions than the agent's) starts and behaves exactly as without the agent:
 * same report of what each library did, same responses, same log output.
 */
@Tag("jdk-matrix")
class DependencyConflictIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What one run of the app showed. */
    private static final class Observed {
        String check;
        int missingStatus;
        List<String> appLog;
    }

    private static Observed exercise(JavaProcess process, int port) {
        Observed o = new Observed();
        HttpResponse<String> check = Http.get("http://127.0.0.1:" + port + "/check");
        assertThat(check.statusCode()).isEqualTo(200);
        o.check = check.body();
        o.missingStatus = Http.status("http://127.0.0.1:" + port + "/missing");
        process.awaitLine(l -> l.startsWith("APPLOG WARN"), WAIT);
        // The port is the only thing that differs between the two runs.
        o.appLog = process.output().stream()
                .filter(l -> l.startsWith("APPLOG"))
                .map(l -> l.replace("serving on " + port + " ", "serving on PORT "))
                .collect(Collectors.toList());
        return o;
    }

    @Test
    void appWithItsOwnVersionsOfTheAgentsLibrariesBehavesTheSameWithTheAgent() {
        Observed without;
        int port = Ports.free();
        try (JavaProcess plain = JavaProcess.builder("conflict-app-plain")
                .jar(TestEnv.appJar("conflict-app"))
                .args(String.valueOf(port))
                .start()) {
            plain.awaitLine(l -> l.startsWith("READY"), WAIT);
            without = exercise(plain, port);
        }

        Observed with;
        try (OtlpSink sink = OtlpSink.start();
                AgentApp app = AgentApp.start("conflict-app", sink)) {
            with = exercise(app.process(), app.appPort());
            assertThat(app.metric("vigil_agent_instrumentation_errors_total")).isZero();
            assertThat(app.process().outputText())
                    .contains("[vigil] INFO AgentStarter - vigil-agent")
                    .doesNotContain("SLF4J(W)")
                    .doesNotContain("Exception");
        }

        assertThat(without.check)
                .contains("\"netty\":\"4.1.115.Final\"")
                .contains("\"jackson\":\"2.17.2\"")
                .contains("\"opentelemetry.spans\":2")
                .contains("\"bytebuddy\":\"made by the app's ByteBuddy\"")
                .contains("\"slf4j.factory\":\"ch.qos.logback.classic.LoggerContext\"");
        assertThat(with.check).isEqualTo(without.check);
        assertThat(with.missingStatus).isEqualTo(404).isEqualTo(without.missingStatus);
        assertThat(with.appLog)
                .as("the app's own logback.xml still formats its log, and only its log")
                .isEqualTo(without.appLog)
                .contains("APPLOG INFO ConflictApp - serving on PORT with Netty 4.1.115.Final");
    }
}
