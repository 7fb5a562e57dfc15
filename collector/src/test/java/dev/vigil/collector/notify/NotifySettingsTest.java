package dev.vigil.collector.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.rules.LabelMatcher;
import dev.vigil.collector.rules.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifySettingsTest {
    private static List<String> problems(Map<String, Object> section) {
        try {
            NotifySettings.parse(section);
        } catch (NotifySettings.InvalidSettingsException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in " + section);
    }

    private static Map<String, Object> hook(String name) {
        return Map.of("name", name, "type", "webhook", "url", "http://hook/" + name);
    }

    @Test
    void noSectionMeansNoReceivers() throws Exception {
        NotifySettings s = NotifySettings.parse(null);
        assertThat(s.receivers()).isEmpty();
        assertThat(s.resendDelay()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void routesInheritAndDefaultsFollowAlertmanager() throws Exception {
        NotifySettings s = NotifySettings.parse(Map.of(
                "receivers", List.of(hook("a"), hook("b")),
                "route",
                        Map.of(
                                "receiver",
                                "a",
                                "group_wait",
                                "10s",
                                "routes",
                                List.of(Map.of(
                                        "matchers",
                                        List.of("team=~\"db|infra\"", "severity!=info"),
                                        "receiver",
                                        "b")))));
        RouteConfig root = s.route();
        assertThat(root.groupBy()).containsExactly("alertname", "service");
        assertThat(root.groupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(root.repeatInterval()).isEqualTo(Duration.ofHours(4));
        RouteConfig child = root.routes().get(0);
        assertThat(child.groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(root.match(Labels.of("team", "db", "severity", "page"))).containsExactly(child);
        assertThat(root.match(Labels.of("team", "db", "severity", "info"))).containsExactly(root);
        assertThat(root.match(Labels.of("team", "dbx"))).containsExactly(root);
        // Without a route, the first routable receiver gets everything.
        assertThat(NotifySettings.parse(Map.of("receivers", List.of(hook("x"))))
                        .route()
                        .receiver())
                .isEqualTo("x");
    }

    @Test
    void reportsEveryBadReceiver() {
        List<String> p = problems(Map.of(
                "receivers",
                List.of(
                        Map.of("name", "a", "type", "email", "url", "http://x"),
                        Map.of("name", "b", "type", "webhook"),
                        Map.of("name", "c", "type", "webhook", "urls", List.of("http://1", "http://2")),
                        Map.of("name", "d", "type", "slack", "url", "ftp://x"),
                        Map.of("name", "e", "type", "pagerduty"),
                        Map.of("name", "f", "type", "webhook", "url", "http://f", "timeout", "soon"),
                        Map.of("name", "f", "type", "webhook", "url", "http://f2", "colour", "red"),
                        Map.of("type", "webhook", "url", "http://g"))));
        assertThat(p)
                .anyMatch(
                        m -> m.contains("receivers[0].type: 'email' must be alertmanager, webhook, slack or pagerduty"))
                .anyMatch(m -> m.contains("receivers[1]: needs 'url'"))
                .anyMatch(m -> m.contains("receivers[2]: only Alertmanager receivers take several URLs"))
                .anyMatch(m -> m.contains("receivers[3]: 'ftp://x' is not an http(s) URL"))
                .anyMatch(m -> m.contains("receivers[4].routing_key: is required"))
                .anyMatch(m -> m.contains("receivers[5].timeout: 'soon' is not a duration"))
                .anyMatch(m -> m.contains("receivers[6]: unknown key 'colour'"))
                .anyMatch(m -> m.contains("receiver name 'f' is used twice"))
                .anyMatch(m -> m.contains("receivers[7].name: is required"));
    }

    @Test
    void reportsBadRoutes() {
        Map<String, Object> receivers = Map.of(
                "receivers", List.of(hook("a"), Map.of("name", "am", "type", "alertmanager", "url", "http://am:9093")));
        assertThat(problems(Map.of("receivers", receivers.get("receivers"), "route", Map.of("receiver", "nobody"))))
                .containsExactly("notifications.route: receiver 'nobody' is not defined");
        assertThat(problems(Map.of("receivers", receivers.get("receivers"), "route", Map.of("receiver", "am"))))
                .singleElement()
                .asString()
                .contains("is an Alertmanager");
        assertThat(problems(Map.of(
                        "receivers",
                        receivers.get("receivers"),
                        "route",
                        Map.of("receiver", "a", "routes", List.of(Map.of("matchers", List.of("severity==page")))))))
                .singleElement()
                .asString()
                .contains("routes[0].matchers[0]: 'severity==page' is not a matcher");
        assertThat(problems(Map.of(
                        "receivers",
                        receivers.get("receivers"),
                        "route",
                        Map.of("receiver", "a", "matchers", List.of("a=\"b\"")))))
                .singleElement()
                .asString()
                .contains("the root route matches every alert");
        assertThat(problems(Map.of(
                        "receivers",
                        receivers.get("receivers"),
                        "route",
                        Map.of("receiver", "a", "group_interval", "0s", "send_resolved", "yes"))))
                .anyMatch(m -> m.contains("must be longer than 0s"))
                .anyMatch(m -> m.contains("send_resolved: must be true or false"));
        assertThat(problems(Map.of(
                        "receivers",
                        receivers.get("receivers"),
                        "delivery",
                        Map.of("initial_backoff", "10s", "max_backoff", "1s", "max_attempts", -1))))
                .anyMatch(m -> m.contains("max_backoff at least initial_backoff"))
                .anyMatch(m -> m.contains("max_attempts: must be a whole number >= 0"));
        assertThat(problems(Map.of("receivers", "a"))).containsExactly("notifications.receivers: must be a list");
        assertThat(problems(Map.of("reciever", List.of())))
                .singleElement()
                .asString()
                .contains("unknown key 'reciever'");
    }

    @Test
    void parsesAlertmanagerMatchers() {
        assertThat(MatcherParser.parse("severity=\"page\""))
                .isEqualTo(LabelMatcher.create("severity", "page", false, true));
        assertThat(MatcherParser.parse(" service != test "))
                .isEqualTo(LabelMatcher.create("service", "test", false, false));
        assertThat(MatcherParser.parse("route=~\"/api/.*\""))
                .isEqualTo(LabelMatcher.create("route", "/api/.*", true, true));
        assertThat(MatcherParser.parse("msg!~\"say \\\"hi\\\"\""))
                .isEqualTo(LabelMatcher.create("msg", "say \"hi\"", true, false));
        assertThatThrownBy(() -> MatcherParser.parse("9a=b")).hasMessageContaining("is not a matcher");
        assertThatThrownBy(() -> MatcherParser.parse("a=~\"(\"")).hasMessageContaining("invalid regular expression");
        assertThat(MatcherParser.parse("route=~\"/api/.*\"").matches(Labels.of("route", "/api/x")))
                .isTrue();
        assertThat(MatcherParser.parse("route=~\"/api\"").matches(Labels.of("route", "/api/x")))
                .isFalse();
    }
}
