package dev.vigil.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServletRoutesTest {
    @Test
    void exactAndPathMappingsArePrefixedWithTheContextPath() {
        assertThat(ServletRoutes.route("/shop", "/users/*", "PATH")).isEqualTo("/shop/users/*");
        assertThat(ServletRoutes.route("/shop", "/hello", "EXACT")).isEqualTo("/shop/hello");
        assertThat(ServletRoutes.route("", "/hello", "EXACT")).isEqualTo("/hello");
    }

    @Test
    void extensionMappingBecomesAPathTemplate() {
        assertThat(ServletRoutes.route("/shop", "*.do", "EXTENSION")).isEqualTo("/shop/*.do");
    }

    @Test
    void defaultServletCoversEveryUnmappedPathWithOneRoute() {
        assertThat(ServletRoutes.route("/shop", "/", "DEFAULT")).isEqualTo("/shop/*");
        assertThat(ServletRoutes.route("", "/", "DEFAULT")).isEqualTo("/*");
    }

    @Test
    void contextRootIsTheContextPathWithASlash() {
        assertThat(ServletRoutes.route("/shop", "", "CONTEXT_ROOT")).isEqualTo("/shop/");
        assertThat(ServletRoutes.route(null, "", "CONTEXT_ROOT")).isEqualTo("/");
    }

    @Test
    void unknownOrIncompleteMappingsGiveNoRoute() {
        assertThat(ServletRoutes.route("/shop", "/x", null)).isNull();
        assertThat(ServletRoutes.route("/shop", "/x", "SOMETHING_NEW")).isNull();
        assertThat(ServletRoutes.route("/shop", null, "PATH")).isNull();
        assertThat(ServletRoutes.route("/shop", "", "EXACT")).isNull();
    }

    @Test
    void cachedRouteIsTheSameAsTheComputedOne() {
        assertThat(ServletRoutes.cachedRoute("/shop", "/users/*", "PATH")).isEqualTo("/shop/users/*");
        assertThat(ServletRoutes.cachedRoute("/shop", "/users/*", "PATH")).isEqualTo("/shop/users/*");
        assertThat(ServletRoutes.cachedRoute("/shop", "/", "DEFAULT")).isEqualTo("/shop/*");
        assertThat(ServletRoutes.cachedRoute("/other", "/users/*", "PATH")).isEqualTo("/other/users/*");
        assertThat(ServletRoutes.cachedRoute(null, "", "CONTEXT_ROOT")).isEqualTo("/");
        assertThat(ServletRoutes.cachedRoute("/shop", "/x", null)).isNull();
    }
}
