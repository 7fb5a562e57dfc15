package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorClassifierTest {
    private static final ErrorClassifier CLASSIFIER = ErrorClassifier.create();

    static Stream<Arguments> throwables() {
        return Stream.of(
                Arguments.of(
                        new SocketTimeoutException("Read timed out"),
                        "timeout",
                        true,
                        "java.net.SocketTimeoutException"),
                Arguments.of(
                        new HttpTimeoutException("request timed out"),
                        "timeout",
                        true,
                        "java.net.http.HttpTimeoutException"),
                Arguments.of(
                        new ConnectException("Connection refused"), "unavailable", true, "java.net.ConnectException"),
                Arguments.of(
                        new UnknownHostException("db.internal"), "unavailable", true, "java.net.UnknownHostException"),
                Arguments.of(
                        new SSLHandshakeException("PKIX path building failed"),
                        "configuration",
                        false,
                        "javax.net.ssl.SSLHandshakeException"),
                Arguments.of(new IOException("Connection reset by peer"), "unavailable", true, "java.io.IOException"),
                Arguments.of(
                        new IOException("No space left on device"), "resource_exhausted", false, "java.io.IOException"),
                Arguments.of(new NullPointerException(), "bug", false, "java.lang.NullPointerException"),
                Arguments.of(
                        new ArrayIndexOutOfBoundsException(3),
                        "bug",
                        false,
                        "java.lang.ArrayIndexOutOfBoundsException"),
                Arguments.of(new ClassCastException("x"), "bug", false, "java.lang.ClassCastException"),
                Arguments.of(new IllegalStateException("closed"), "bug", false, "java.lang.IllegalStateException"),
                Arguments.of(
                        new NumberFormatException("For input string: \"x\""),
                        "invalid_input",
                        false,
                        "java.lang.NumberFormatException"),
                Arguments.of(
                        new OutOfMemoryError("Java heap space"),
                        "resource_exhausted",
                        false,
                        "java.lang.OutOfMemoryError"),
                Arguments.of(
                        new RejectedExecutionException("queue full"),
                        "resource_exhausted",
                        true,
                        "java.util.concurrent.RejectedExecutionException"),
                Arguments.of(new InterruptedException(), "cancelled", false, "java.lang.InterruptedException"),
                Arguments.of(
                        new NoClassDefFoundError("com/shop/Gone"),
                        "configuration",
                        false,
                        "java.lang.NoClassDefFoundError"),
                Arguments.of(
                        new SQLException("could not serialize access", "40001"),
                        "conflict",
                        true,
                        "java.sql.SQLException"),
                Arguments.of(new SQLException("deadlock detected", "40P01"), "conflict", true, "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("duplicate key value violates unique constraint", "23505"),
                        "data_integrity",
                        false,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("syntax error at or near \"SELEC\"", "42601"),
                        "bug",
                        false,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("permission denied for table orders", "42501"),
                        "auth",
                        false,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("connection failure", "08006"), "unavailable", true, "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("password authentication failed", "28P01"),
                        "auth",
                        false,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("sorry, too many clients already", "53300"),
                        "resource_exhausted",
                        true,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("canceling statement due to statement timeout", "57014"),
                        "timeout",
                        true,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("canceling statement due to user request", "57014"),
                        "cancelled",
                        false,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLException("Timeout trying to lock table", "HYT00"),
                        "timeout",
                        true,
                        "java.sql.SQLException"),
                Arguments.of(
                        new SQLTransientConnectionException(
                                "HikariPool-1 - Connection is not available, request timed out after 30000ms."),
                        "resource_exhausted",
                        true,
                        "java.sql.SQLTransientConnectionException"),
                Arguments.of(
                        new SQLTransientConnectionException("network down"),
                        "unavailable",
                        true,
                        "java.sql.SQLTransientConnectionException"),
                Arguments.of(new AppFailure("custom"), "unknown", false, AppFailure.class.getName()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("throwables")
    void classifiesWellKnownFailures(Throwable error, String category, boolean retryable, String type) {
        ErrorClassification c = CLASSIFIER.classify(error, ErrorComponent.HTTP_SERVER);
        assertThat(c.category().label()).isEqualTo(category);
        assertThat(c.retryable()).isEqualTo(retryable);
        assertThat(c.errorType()).isEqualTo(type);
        assertThat(c.component()).isEqualTo(ErrorComponent.HTTP_SERVER);
        assertThat(c.severity()).isEqualTo(c.category().defaultSeverity());
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(429, "rate_limited", true),
                Arguments.of(503, "unavailable", true),
                Arguments.of(502, "unavailable", true),
                Arguments.of(504, "timeout", true),
                Arguments.of(408, "timeout", true),
                Arguments.of(404, "not_found", false),
                Arguments.of(401, "auth", false),
                Arguments.of(403, "auth", false),
                Arguments.of(409, "conflict", false),
                Arguments.of(400, "invalid_input", false),
                Arguments.of(418, "invalid_input", false),
                Arguments.of(500, "unknown", false),
                Arguments.of(599, "unknown", false));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @MethodSource("statuses")
    void classifiesHttpStatuses(int status, String category, boolean retryable) {
        ErrorClassification c = CLASSIFIER.classifyStatus(status, ErrorComponent.HTTP_CLIENT);
        assertThat(c.category().label()).isEqualTo(category);
        assertThat(c.retryable()).isEqualTo(retryable);
        assertThat(c.errorType()).isEqualTo(Integer.toString(status));
    }

    static Stream<Arguments> libraryTypesByName() {
        return Stream.of(
                Arguments.of(
                        List.of(ex(
                                "org.springframework.web.client.HttpClientErrorException$NotFound",
                                "404 Not Found: \"{}\"")),
                        "not_found"),
                Arguments.of(
                        List.of(ex(
                                "org.springframework.web.client.HttpServerErrorException$ServiceUnavailable", "503")),
                        "unavailable"),
                Arguments.of(
                        List.of(ex(
                                "org.springframework.web.reactive.function.client.WebClientResponseException",
                                "429 Too Many Requests from GET http://api/x")),
                        "rate_limited"),
                Arguments.of(
                        List.of(ex(
                                "feign.FeignException",
                                "[503 Service Unavailable] during [GET] to [http://inventory/items]")),
                        "unavailable"),
                Arguments.of(List.of(ex("retrofit2.HttpException", "HTTP 404 Not Found")), "not_found"),
                Arguments.of(List.of(ex("io.grpc.StatusRuntimeException", "UNAVAILABLE: io exception")), "unavailable"),
                Arguments.of(
                        List.of(ex(
                                "io.grpc.StatusRuntimeException", "DEADLINE_EXCEEDED: deadline exceeded after 1.0s")),
                        "timeout"),
                Arguments.of(
                        List.of(ex("io.grpc.StatusRuntimeException", "INVALID_ARGUMENT: bad id")), "invalid_input"),
                Arguments.of(List.of(ex("io.netty.handler.timeout.ReadTimeoutException", null)), "timeout"),
                Arguments.of(
                        List.of(ex("io.netty.channel.ConnectTimeoutException", "connection timed out: /10.0.0.1:5432")),
                        "timeout"),
                Arguments.of(
                        List.of(ex("com.fasterxml.jackson.core.JsonParseException", "Unexpected character")),
                        "invalid_input"),
                Arguments.of(List.of(ex("com.fasterxml.jackson.core.JsonProcessingException", "bad")), "invalid_input"),
                Arguments.of(
                        List.of(ex("com.fasterxml.jackson.databind.exc.InvalidDefinitionException", "no serializer")),
                        "bug"),
                Arguments.of(
                        List.of(ex("org.hibernate.exception.LockAcquisitionException", "could not execute statement")),
                        "conflict"),
                Arguments.of(
                        List.of(ex("jakarta.persistence.EntityNotFoundException", "Unable to find Order with id 4")),
                        "not_found"),
                Arguments.of(
                        List.of(
                                ex("org.springframework.dao.DataIntegrityViolationException", "could not execute"),
                                ex("org.postgresql.util.PSQLException", "duplicate")),
                        "data_integrity"),
                Arguments.of(List.of(ex("org.springframework.dao.CannotAcquireLockException", "x")), "conflict"),
                Arguments.of(
                        List.of(ex("org.apache.catalina.connector.ClientAbortException", "Broken pipe")), "cancelled"),
                Arguments.of(
                        List.of(ex("org.apache.http.conn.HttpHostConnectException", "Connect to x refused")),
                        "unavailable"),
                Arguments.of(
                        List.of(ex(
                                "io.github.resilience4j.ratelimiter.RequestNotPermitted",
                                "RateLimiter 'x' does not permit")),
                        "rate_limited"));
    }

    /** From stack-trace text only the exact type names are known (no supertypes), as in the collector. */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("libraryTypesByName")
    void classifiesLibraryTypesByNameWithoutLoadingThem(List<ExceptionInfo> chain, String category) {
        assertThat(CLASSIFIER
                        .classify(chain, ErrorComponent.HTTP_CLIENT)
                        .category()
                        .label())
                .isEqualTo(category);
    }

    @Test
    void theRootCauseDecidesThroughWrappers() {
        Throwable wrapped = new RuntimeException(
                "order failed",
                new ExecutionException(new UncheckedIOException(new SocketTimeoutException("Read timed out"))));
        ErrorClassification c = CLASSIFIER.classify(wrapped, ErrorComponent.EXECUTOR);
        assertThat(c.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(c.errorType()).isEqualTo("java.net.SocketTimeoutException");
    }

    @Test
    void aKnownWrapperDecidesWhenTheRootCauseIsUnknown() {
        Throwable wrapped = new IllegalStateException("bad state", new AppFailure("inner"));
        assertThat(CLASSIFIER.classify(wrapped, ErrorComponent.HTTP_SERVER).category())
                .isEqualTo(ErrorCategory.BUG);
    }

    @Test
    void anSqlStateInsideAFrameworkExceptionDecides() {
        Throwable wrapped = new IllegalStateException("save failed", new SQLException("dup", "23505"));
        assertThat(CLASSIFIER.classify(wrapped, ErrorComponent.DB).category()).isEqualTo(ErrorCategory.DATA_INTEGRITY);
    }

    @Test
    void theNextExceptionOfABatchFailureIsFollowed() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "HY000");
        batch.setNextException(new SQLException("deadlock detected", "40P01"));
        assertThat(CLASSIFIER.classify(batch, ErrorComponent.DB).category()).isEqualTo(ErrorCategory.CONFLICT);
    }

    @Test
    void vendorCodesAreReadOnlyFromTheirOwnDriver() {
        FailureLink mysql = new FailureLink(
                List.of("com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException", "java.sql.SQLException"),
                "Deadlock found when trying to get lock",
                "HY000",
                1213);
        FailureLink sqlServer = new FailureLink(
                List.of("com.microsoft.sqlserver.jdbc.SQLServerException", "java.sql.SQLException"),
                "Lock request time out period exceeded",
                "S0001",
                1222);
        FailureLink unknownDriver =
                new FailureLink(List.of("org.example.DbException", "java.sql.SQLException"), "x", null, 1213);
        assertThat(CLASSIFIER.classify(List.of(mysql), 0, ErrorComponent.DB).category())
                .isEqualTo(ErrorCategory.CONFLICT);
        assertThat(CLASSIFIER.classify(List.of(sqlServer), 0, ErrorComponent.DB).category())
                .isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(CLASSIFIER
                        .classify(List.of(unknownDriver), 0, ErrorComponent.DB)
                        .category())
                .isEqualTo(ErrorCategory.UNKNOWN);
    }

    @Test
    void aCauseCycleEnds() {
        CyclicFailure a = new CyclicFailure("a");
        CyclicFailure b = new CyclicFailure("b");
        a.cause = b;
        b.cause = a;
        ErrorClassification c = CLASSIFIER.classify(a, ErrorComponent.LOGGER);
        assertThat(c.category()).isEqualTo(ErrorCategory.UNKNOWN);
    }

    @Test
    void aDeepCauseChainIsBounded() {
        Throwable t = new SocketTimeoutException("root");
        for (int i = 0; i < 10_000; i++) {
            t = new RuntimeException("level " + i, t);
        }
        // the root is beyond the walked part of the chain: what is seen is a run of RuntimeExceptions
        ErrorClassification c = CLASSIFIER.classify(t, ErrorComponent.HTTP_SERVER);
        assertThat(c.category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(c.errorType()).isEqualTo("java.lang.RuntimeException");
    }

    @Test
    void exceptionsWhoseAccessorsThrowAreStillClassified() {
        ErrorClassification c = CLASSIFIER.classify(new HostileFailure(), ErrorComponent.HTTP_SERVER);
        assertThat(c.category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(c.errorType()).isEqualTo(HostileFailure.class.getName());
    }

    @Test
    void aStatusCarriedByAClientExceptionWinsOverItsType() {
        ErrorClassification c =
                CLASSIFIER.classify(new AppFailure("upstream said no"), 503, ErrorComponent.HTTP_CLIENT);
        assertThat(c.category()).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(c.errorType()).isEqualTo("503");
    }

    @Test
    void userRulesComeFirstAndMayOverrideOnlyPartOfTheVerdict() {
        ErrorClassifier withRules = ErrorClassifier.withRules(List.of(
                ErrorRule.builder("r1")
                        .type(AppFailure.class.getName())
                        .message("(?i)card declined")
                        .category("invalid_input")
                        .build(),
                ErrorRule.builder("r2")
                        .type("java.net.SocketTimeoutException")
                        .retryable(false)
                        .build(),
                ErrorRule.builder("r3").sqlState("23").severity("critical").build(),
                ErrorRule.builder("r4")
                        .status("5xx")
                        .component("http_client")
                        .category("unavailable")
                        .severity("warning")
                        .build(),
                ErrorRule.builder("r5")
                        .type("java.lang.InterruptedException")
                        .ignore(true)
                        .build()));

        ErrorClassification declined =
                withRules.classify(new AppFailure("Card declined by bank"), ErrorComponent.HTTP_SERVER);
        assertThat(declined.category()).isEqualTo(ErrorCategory.INVALID_INPUT);
        assertThat(declined.severity()).isEqualTo(ErrorSeverity.WARNING);
        assertThat(withRules
                        .classify(new AppFailure("other"), ErrorComponent.HTTP_SERVER)
                        .category())
                .isEqualTo(ErrorCategory.UNKNOWN);

        ErrorClassification timeout =
                withRules.classify(new RuntimeException(new SocketTimeoutException("x")), ErrorComponent.HTTP_CLIENT);
        assertThat(timeout.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(timeout.retryable()).isFalse();

        ErrorClassification dup = withRules.classify(new SQLException("dup", "23505"), ErrorComponent.DB);
        assertThat(dup.category()).isEqualTo(ErrorCategory.DATA_INTEGRITY);
        assertThat(dup.severity()).isEqualTo(ErrorSeverity.CRITICAL);

        ErrorClassification status500 = withRules.classifyStatus(500, ErrorComponent.HTTP_CLIENT);
        assertThat(status500.category()).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(status500.retryable()).isTrue();
        assertThat(status500.severity()).isEqualTo(ErrorSeverity.WARNING);
        assertThat(withRules.classifyStatus(500, ErrorComponent.HTTP_SERVER).category())
                .isEqualTo(ErrorCategory.UNKNOWN);

        assertThat(withRules
                        .classify(new InterruptedException(), ErrorComponent.EXECUTOR)
                        .ignored())
                .isTrue();
    }

    @Test
    void invalidRulesAreRejectedWithTheirPositionAndTheProblem() {
        assertThatThrownBy(() ->
                        ErrorRule.builder("vigil.yaml:3").message("(unclosed").category("bug"))
                .hasMessageStartingWith("vigil.yaml:3: message is not a valid regular expression");
        assertThatThrownBy(() -> ErrorRule.builder("vigil.yaml:4").category("catastrophic"))
                .hasMessageContaining("unknown category 'catastrophic'")
                .hasMessageContaining("rate_limited");
        assertThatThrownBy(
                        () -> ErrorRule.builder("vigil.yaml:5").category("bug").build())
                .hasMessageContaining("at least one of type, message");
        assertThatThrownBy(() -> ErrorRule.builder("vigil.yaml:6").type("a.B").build())
                .hasMessageContaining("at least one of category");
        assertThatThrownBy(() -> ErrorRule.builder("x").status("600")).hasMessageContaining("HTTP status");
        assertThatThrownBy(() -> ErrorRule.builder("x").sqlState("23-05")).hasMessageContaining("sql_state");
        assertThatThrownBy(() -> ErrorRule.builder("x").severity("huge")).hasMessageContaining("severity");
        assertThatThrownBy(() -> ErrorRule.builder("x").component("db2")).hasMessageContaining("known: http_server");
    }

    @Test
    void theBuiltInDataFileIsValidAndAMalformedLineNamesItsNumber() {
        assertThat(KnownErrors.builtIn().types).containsKey("java.net.SocketTimeoutException");
        assertThatThrownBy(() -> KnownErrors.parse(List.of("# fine", "type a.B sleepy")))
                .hasMessageContaining("known-errors.txt:2: unknown category 'sleepy'");
        assertThatThrownBy(() -> KnownErrors.parse(List.of("status 429 rate_limited maybe")))
                .hasMessageContaining(":1: expected retryable or permanent");
    }

    @Test
    void leadingStatusIsFoundOnlyAsAWholeNumberNearTheStart() {
        assertThat(ErrorClassifier.leadingStatus("404 Not Found")).isEqualTo(404);
        assertThat(ErrorClassifier.leadingStatus("[503] during [GET]")).isEqualTo(503);
        assertThat(ErrorClassifier.leadingStatus("order 12345 failed")).isZero();
        assertThat(ErrorClassifier.leadingStatus("HTTP 700 odd")).isZero();
        assertThat(ErrorClassifier.leadingStatus(null)).isZero();
    }

    private static ExceptionInfo ex(String type, String message) {
        return new ExceptionInfo(type, message, new ArrayList<>());
    }

    static final class AppFailure extends RuntimeException {
        AppFailure(String message) {
            super(message);
        }
    }

    static final class CyclicFailure extends RuntimeException {
        Throwable cause;

        CyclicFailure(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }

    static final class HostileFailure extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("message unavailable");
        }

        @Override
        public synchronized Throwable getCause() {
            throw new IllegalStateException("cause unavailable");
        }
    }
}
