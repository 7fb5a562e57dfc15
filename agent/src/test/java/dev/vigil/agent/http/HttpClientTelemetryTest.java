package dev.vigil.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpClientTelemetryTest {
    @Test
    void urlWithoutSecretsIsKeptAsItIs() {
        assertThat(HttpClientTelemetry.redactUrl("https://api.example.com:8443/v1/items?page=2#top"))
                .isEqualTo("https://api.example.com:8443/v1/items?page=2#top");
    }

    @Test
    void userInfoIsMasked() {
        assertThat(HttpClientTelemetry.redactUrl("http://bob:pa55@db.example.com/x"))
                .isEqualTo("http://REDACTED:REDACTED@db.example.com/x");
    }

    @Test
    void atSignInThePathOrQueryIsNotUserInfo() {
        assertThat(HttpClientTelemetry.redactUrl("http://example.com/users/@me?mail=a@b.c"))
                .isEqualTo("http://example.com/users/@me?mail=a@b.c");
    }

    @Test
    void secretLookingQueryValuesAreMaskedAndTheFragmentKept() {
        assertThat(HttpClientTelemetry.redactUrl("http://example.com/cb?code=abc&state=1&api_key=k#frag"))
                .isEqualTo("http://example.com/cb?code=REDACTED&state=1&api_key=REDACTED#frag");
    }
}
