package dev.vigil.collector.notify;

import dev.vigil.collector.rules.Durations;
import dev.vigil.collector.rules.LabelMatcher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notifications:} section of the collector configuration (docs/notifications.md):
 * receivers, the routing tree, the Alertmanager re-send delay and the delivery policy.
 */
public record NotifySettings(
        List<ReceiverConfig> receivers, RouteConfig route, Duration resendDelay, DeliveryPolicy delivery) {

    public NotifySettings {
        receivers = List.copyOf(receivers);
    }

    /** No receivers: alerts are evaluated, kept and shown, but sent nowhere. */
    public static NotifySettings none() {
        return new NotifySettings(List.of(), defaultRoute(null), Duration.ofMinutes(1), DeliveryPolicy.defaults());
    }

    private static RouteConfig defaultRoute(String receiver) {
        return new RouteConfig(
                "root",
                List.of(),
                receiver,
                List.of("alertname", "service"),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofHours(4),
                true,
                false,
                List.of());
    }

    public ReceiverConfig receiver(String name) {
        for (ReceiverConfig r : receivers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Invalid settings; every problem is named with its key path. */
    public static final class InvalidSettingsException extends Exception {
        private final List<String> problems;

        InvalidSettingsException(List<String> problems) {
            super("invalid notifications settings:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** Parses the section as loaded from YAML (maps, lists, strings, numbers); null means none. */
    public static NotifySettings parse(Map<String, Object> section) throws InvalidSettingsException {
        if (section == null) {
            return none();
        }
        Parser p = new Parser();
        NotifySettings s = p.settings(section);
        if (!p.problems.isEmpty()) {
            throw new InvalidSettingsException(p.problems);
        }
        return s;
    }

    private static final class Parser {
        final List<String> problems = new ArrayList<>();
        int routeIds;

        NotifySettings settings(Map<String, Object> m) {
            unknown("notifications", m, Set.of("receivers", "route", "resend_delay", "delivery"));
            List<ReceiverConfig> receivers = new ArrayList<>();
            Set<String> names = new HashSet<>();
            List<Object> list = list("notifications.receivers", m.get("receivers"));
            for (int i = 0; i < list.size(); i++) {
                ReceiverConfig r = receiver("notifications.receivers[" + i + "]", list.get(i));
                if (r != null) {
                    if (!names.add(r.name())) {
                        problems.add(
                                "notifications.receivers[" + i + "]: receiver name '" + r.name() + "' is used twice");
                    }
                    receivers.add(r);
                }
            }
            Duration resend = duration("notifications.resend_delay", m.get("resend_delay"), Duration.ofMinutes(1));
            DeliveryPolicy delivery = delivery(map("notifications.delivery", m.get("delivery")));
            RouteConfig route;
            Object routeRaw = m.get("route");
            String firstRoutable = null;
            for (ReceiverConfig r : receivers) {
                if (r.type() != ReceiverConfig.Type.ALERTMANAGER) {
                    firstRoutable = r.name();
                    break;
                }
            }
            if (routeRaw == null) {
                route = defaultRoute(firstRoutable);
            } else {
                route = route(
                        "notifications.route", map("notifications.route", routeRaw), defaultRoute(firstRoutable), true);
            }
            if (route != null) {
                for (RouteConfig rc : route.all()) {
                    if (rc.receiver() == null) {
                        continue;
                    }
                    ReceiverConfig target = null;
                    for (ReceiverConfig r : receivers) {
                        if (r.name().equals(rc.receiver())) {
                            target = r;
                        }
                    }
                    if (target == null) {
                        problems.add("notifications.route: receiver '" + rc.receiver() + "' is not defined");
                    } else if (target.type() == ReceiverConfig.Type.ALERTMANAGER) {
                        problems.add("notifications.route: receiver '" + rc.receiver() + "' is an Alertmanager; every"
                                + " alert is pushed to Alertmanagers, which route on their own: do not route to it");
                    }
                }
            }
            return new NotifySettings(receivers, route, resend, delivery);
        }

        ReceiverConfig receiver(String path, Object raw) {
            Map<String, Object> m = map(path, raw);
            unknown(path, m, Set.of("name", "type", "url", "urls", "headers", "routing_key", "timeout"));
            String name = string(path + ".name", m.get("name"), true);
            String typeText = string(path + ".type", m.get("type"), true);
            ReceiverConfig.Type type = null;
            if (typeText != null) {
                for (ReceiverConfig.Type t : ReceiverConfig.Type.values()) {
                    if (t.name().equalsIgnoreCase(typeText)) {
                        type = t;
                    }
                }
                if (type == null) {
                    problems.add(path + ".type: '" + typeText + "' must be alertmanager, webhook, slack or pagerduty");
                }
            }
            List<String> urls = new ArrayList<>();
            String url = string(path + ".url", m.get("url"), false);
            if (url != null) {
                urls.add(url);
            }
            for (Object u : list(path + ".urls", m.get("urls"))) {
                urls.add(String.valueOf(u));
            }
            if (urls.isEmpty() && type == ReceiverConfig.Type.PAGERDUTY) {
                urls.add(ReceiverConfig.PAGERDUTY_DEFAULT_URL);
            }
            if (urls.isEmpty() && type != null) {
                problems.add(path + ": needs 'url'" + (type == ReceiverConfig.Type.ALERTMANAGER ? " or 'urls'" : ""));
            }
            if (urls.size() > 1 && type != null && type != ReceiverConfig.Type.ALERTMANAGER) {
                problems.add(path + ": only Alertmanager receivers take several URLs");
            }
            for (String u : urls) {
                try {
                    URI uri = URI.create(u);
                    if (uri.getScheme() == null
                            || !(uri.getScheme().equals("http")
                                    || uri.getScheme().equals("https"))
                            || uri.getHost() == null) {
                        problems.add(path + ": '" + u + "' is not an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(path + ": '" + u + "' is not a URL: " + e.getMessage());
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            map(path + ".headers", m.get("headers")).forEach((k, v) -> headers.put(k, String.valueOf(v)));
            String routingKey =
                    string(path + ".routing_key", m.get("routing_key"), type == ReceiverConfig.Type.PAGERDUTY);
            Duration timeout = duration(path + ".timeout", m.get("timeout"), Duration.ofSeconds(10));
            if (name == null || type == null) {
                return null;
            }
            return new ReceiverConfig(name, type, urls, headers, routingKey, timeout);
        }

        RouteConfig route(String path, Map<String, Object> m, RouteConfig parent, boolean root) {
            unknown(
                    path,
                    m,
                    Set.of(
                            "receiver",
                            "matchers",
                            "group_by",
                            "group_wait",
                            "group_interval",
                            "repeat_interval",
                            "send_resolved",
                            "continue",
                            "routes"));
            List<LabelMatcher> matchers = new ArrayList<>();
            List<Object> rawMatchers = list(path + ".matchers", m.get("matchers"));
            if (root && !rawMatchers.isEmpty()) {
                problems.add(path + ".matchers: the root route matches every alert; put matchers on child routes");
            }
            for (int i = 0; i < rawMatchers.size(); i++) {
                try {
                    matchers.add(MatcherParser.parse(String.valueOf(rawMatchers.get(i))));
                } catch (IllegalArgumentException e) {
                    problems.add(path + ".matchers[" + i + "]: " + e.getMessage());
                }
            }
            String receiver = m.containsKey("receiver")
                    ? string(path + ".receiver", m.get("receiver"), false)
                    : parent.receiver();
            List<String> groupBy =
                    m.containsKey("group_by") ? strings(path + ".group_by", m.get("group_by")) : parent.groupBy();
            Duration wait = duration(path + ".group_wait", m.get("group_wait"), parent.groupWait());
            Duration interval = duration(path + ".group_interval", m.get("group_interval"), parent.groupInterval());
            Duration repeat = duration(path + ".repeat_interval", m.get("repeat_interval"), parent.repeatInterval());
            if (interval.isZero() || repeat.isZero()) {
                problems.add(path + ": group_interval and repeat_interval must be longer than 0s");
            }
            boolean sendResolved = bool(path + ".send_resolved", m.get("send_resolved"), parent.sendResolved());
            boolean cont = bool(path + ".continue", m.get("continue"), false);
            String id = root ? "root" : "r" + (++routeIds);
            RouteConfig self = new RouteConfig(
                    id, matchers, receiver, groupBy, wait, interval, repeat, sendResolved, cont, List.of());
            List<RouteConfig> children = new ArrayList<>();
            List<Object> rawChildren = list(path + ".routes", m.get("routes"));
            for (int i = 0; i < rawChildren.size(); i++) {
                children.add(route(
                        path + ".routes[" + i + "]",
                        map(path + ".routes[" + i + "]", rawChildren.get(i)),
                        self,
                        false));
            }
            if (receiver == null && root) {
                problems.add(path + ": needs a 'receiver' (a webhook, slack or pagerduty receiver)");
            }
            return new RouteConfig(
                    id, matchers, receiver, groupBy, wait, interval, repeat, sendResolved, cont, children);
        }

        DeliveryPolicy delivery(Map<String, Object> m) {
            DeliveryPolicy d = DeliveryPolicy.defaults();
            unknown(
                    "notifications.delivery",
                    m,
                    Set.of(
                            "initial_backoff",
                            "max_backoff",
                            "give_up_after",
                            "max_attempts",
                            "breaker_failures",
                            "breaker_open_for",
                            "keep_sent"));
            Duration initial =
                    duration("notifications.delivery.initial_backoff", m.get("initial_backoff"), d.initialBackoff());
            Duration max = duration("notifications.delivery.max_backoff", m.get("max_backoff"), d.maxBackoff());
            if (initial.isZero() || max.compareTo(initial) < 0) {
                problems.add(
                        "notifications.delivery: initial_backoff must be > 0s and max_backoff at least initial_backoff");
            }
            return new DeliveryPolicy(
                    initial,
                    max,
                    duration("notifications.delivery.give_up_after", m.get("give_up_after"), d.giveUpAfter()),
                    integer("notifications.delivery.max_attempts", m.get("max_attempts"), d.maxAttempts()),
                    Math.max(
                            1,
                            integer(
                                    "notifications.delivery.breaker_failures",
                                    m.get("breaker_failures"),
                                    d.breakerFailures())),
                    duration("notifications.delivery.breaker_open_for", m.get("breaker_open_for"), d.breakerOpenFor()),
                    duration("notifications.delivery.keep_sent", m.get("keep_sent"), d.keepSent()));
        }

        void unknown(String path, Map<String, Object> m, Set<String> known) {
            for (String k : m.keySet()) {
                if (!known.contains(k)) {
                    problems.add(path + ": unknown key '" + k + "'; known keys: "
                            + String.join(", ", new java.util.TreeSet<>(known)));
                }
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String path, Object raw) {
            if (raw == null) {
                return Map.of();
            }
            if (raw instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
                return out;
            }
            problems.add(path + ": must be a mapping");
            return Map.of();
        }

        @SuppressWarnings("unchecked")
        List<Object> list(String path, Object raw) {
            if (raw == null) {
                return List.of();
            }
            if (raw instanceof List<?> l) {
                return (List<Object>) l;
            }
            problems.add(path + ": must be a list");
            return List.of();
        }

        List<String> strings(String path, Object raw) {
            List<String> out = new ArrayList<>();
            for (Object o : list(path, raw)) {
                out.add(String.valueOf(o));
            }
            return out;
        }

        String string(String path, Object raw, boolean required) {
            if (raw == null) {
                if (required) {
                    problems.add(path + ": is required");
                }
                return null;
            }
            if (raw instanceof Map || raw instanceof List) {
                problems.add(path + ": must be text");
                return null;
            }
            return String.valueOf(raw);
        }

        Duration duration(String path, Object raw, Duration fallback) {
            if (raw == null) {
                return fallback;
            }
            try {
                return Durations.parse(String.valueOf(raw));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": " + e.getMessage());
                return fallback;
            }
        }

        boolean bool(String path, Object raw, boolean fallback) {
            if (raw == null) {
                return fallback;
            }
            if (raw instanceof Boolean b) {
                return b;
            }
            problems.add(path + ": must be true or false");
            return fallback;
        }

        int integer(String path, Object raw, int fallback) {
            if (raw == null) {
                return fallback;
            }
            if (raw instanceof Integer i && i >= 0) {
                return i;
            }
            problems.add(path + ": must be a whole number >= 0");
            return fallback;
        }
    }
}
