package dev.vigil.agent.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor builtIn = Redactor.create(true, List.of(), List.of("X-Session"));

    @Test
    void masksEmailAddresses() {
        assertThat(builtIn.redact("mail to ann.lee+shop@mail.example.co.uk failed"))
                .isEqualTo("mail to <redacted> failed");
    }

    @Test
    void masksCardNumbersThatPassTheLuhnCheckOnly() {
        assertThat(builtIn.redact("card 4111 1111 1111 1111 declined")).isEqualTo("card <redacted> declined");
        assertThat(builtIn.redact("card 4111-1111-1111-1111")).isEqualTo("card <redacted>");
        assertThat(builtIn.redact("order 1234567890123 shipped")).isEqualTo("order 1234567890123 shipped");
    }

    @Test
    void appliesTheUsersPatterns() {
        Redactor r = Redactor.create(false, List.of("(?i)iban=[A-Z0-9]+"), List.of());
        assertThat(r.redact("pay iban=DE89370400440532013000 now, mail a@b.io"))
                .isEqualTo("pay <redacted> now, mail a@b.io");
    }

    @Test
    void anInvalidPatternIsNamed() {
        assertThatThrownBy(() -> Redactor.create(true, List.of("(open"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'(open'");
    }

    @Test
    void sensitiveHeadersAreAlwaysKnownAndCaseInsensitive() {
        assertThat(builtIn.isSensitiveHeader("Authorization")).isTrue();
        assertThat(builtIn.isSensitiveHeader("cookie")).isTrue();
        assertThat(builtIn.isSensitiveHeader("Set-Cookie")).isTrue();
        assertThat(builtIn.isSensitiveHeader("x-session")).isTrue();
        assertThat(builtIn.isSensitiveHeader("Accept")).isFalse();
        assertThat(Redactor.none().isSensitiveHeader("Authorization")).isTrue();
    }

    @Test
    void masksSensitiveHeaderValuesWrittenIntoMessages() {
        assertThat(builtIn.redact("401 from api: Authorization: Bearer eyJhbGciOi.x.y\nretrying"))
                .isEqualTo("401 from api: Authorization: <redacted>\nretrying");
        assertThat(builtIn.redact("request headers {cookie=SESSION=abc; theme=dark}"))
                .isEqualTo("request headers {cookie=<redacted>");
        assertThat(builtIn.redact("X-Session: s-123")).isEqualTo("X-Session: <redacted>");
        assertThat(builtIn.redact("\"Set-Cookie\": \"id=1\"")).isEqualTo("\"Set-Cookie\": <redacted>");
        assertThat(builtIn.redact("no-authorization: needed")).isEqualTo("no-authorization: needed");
        assertThat(Redactor.none().redact("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: <redacted>");
    }

    @Test
    void stackTraceLineNumbersDoNotLookLikeCards() {
        assertThat(Redactor.hasCardLikeRun("\tat com.shop.A.b(A.java:1234)\n\tat com.shop.C.d(C.java:56789)"))
                .isFalse();
        assertThat(Redactor.hasCardLikeRun("card 4111 1111 1111 1111")).isTrue();
        assertThat(Redactor.hasCardLikeRun("1234567890123")).isTrue();
        assertThat(Redactor.hasCardLikeRun("12 34  56 78 90 12 34"))
                .as("double space breaks the run")
                .isFalse();
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertThat(builtIn.redact(null)).isNull();
        assertThat(builtIn.redact("")).isEmpty();
    }
}
