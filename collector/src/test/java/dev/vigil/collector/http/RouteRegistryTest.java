package dev.vigil.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteRegistryTest {
    private final RouteRegistry routes = new RouteRegistry();
    private final ApiHandler ok = r -> ApiResponse.json(200, Map.of());

    @Test
    void matchesParametersAndPrefersLiteralSegments() {
        routes.register("GET", "/api/errors/{id}", Access.READ, ok);
        routes.register("GET", "/api/errors/summary", Access.READ, ok);
        RouteRegistry.Match byId = routes.match("GET", "/api/errors/abc123");
        assertThat(byId.route().path).isEqualTo("/api/errors/{id}");
        assertThat(byId.params()).containsEntry("id", "abc123");
        assertThat(routes.match("GET", "/api/errors/summary").route().path).isEqualTo("/api/errors/summary");
        assertThat(routes.match("GET", "/api/errors/abc/extra")).isNull();
        assertThat(routes.match("GET", "/api/errors/")).isNull();
    }

    @Test
    void restParameterTakesTheRemainingPath() {
        routes.register("GET", "/runbooks/{name...}", Access.PUBLIC, ok);
        assertThat(routes.match("GET", "/runbooks/a/b.md").params()).containsEntry("name", "a/b.md");
        assertThat(routes.match("GET", "/runbooks")).isNull();
    }

    @Test
    void knownPathWithAnotherMethodIsMethodNotAllowed() {
        routes.register("POST", "/api/errors/{id}/resolve", Access.ADMIN, ok);
        assertThat(routes.match("GET", "/api/errors/x/resolve").methodNotAllowed())
                .isTrue();
        assertThat(routes.match("POST", "/api/errors/x/resolve").route().access).isEqualTo(Access.ADMIN);
    }

    @Test
    void headIsServedByGet() {
        routes.register("GET", "/healthz", Access.PUBLIC, ok);
        assertThat(routes.match("HEAD", "/healthz").route()).isNotNull();
    }

    @Test
    void duplicateAndMalformedRoutesAreRefused() {
        routes.register("GET", "/api/alerts", Access.READ, ok);
        assertThatThrownBy(() -> routes.register("get", "/api/alerts", Access.READ, ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> routes.register("GET", "api/x", Access.READ, ok))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> routes.register("GET", "/a/{rest...}/b", Access.READ, ok))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
