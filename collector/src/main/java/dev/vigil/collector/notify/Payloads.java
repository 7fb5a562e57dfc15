package dev.vigil.collector.notify;

import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertState;
import dev.vigil.collector.rules.Json;
import dev.vigil.collector.rules.Labels;
import dev.vigil.collector.rules.Links;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies of the four receiver types (formats in shared FORMATS.md). */
final class Payloads {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final int PD_SUMMARY_MAX = 1024;

    private Payloads() {}

    /** Annotations as sent: the rule's rendered annotations plus {@code runbook_url}. */
    static Map<String, String> annotations(Alert a, Links links) {
        Map<String, String> out = new LinkedHashMap<>(a.annotations());
        out.put("runbook_url", links.runbook(a.id()));
        return out;
    }

    static String generatorUrl(Alert a, Links links) {
        return links.collector() + "/api/alerts/" + a.id();
    }

    /** Alertmanager {@code POST /api/v2/alerts} body. */
    static byte[] alertmanager(List<Alert> alerts, Links links, Instant now, Duration endsAtHorizon) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", a.labels().asMap());
            m.put("annotations", annotations(a, links));
            m.put("startsAt", a.startsAt().toString());
            // Prometheus: endsAt is the resolve time, else a horizon AM uses if the sender goes away.
            m.put(
                    "endsAt",
                    a.state() == AlertState.RESOLVED
                            ? a.resolvedAt().toString()
                            : now.plus(endsAtHorizon).toString());
            m.put("generatorURL", generatorUrl(a, links));
            out.add(m);
        }
        return bytes(out);
    }

    /** Alertmanager webhook payload, version 4. */
    static byte[] webhook(String receiver, String groupKey, Labels groupLabels, List<Alert> alerts, Links links) {
        return bytes(webhookMap(receiver, groupKey, groupLabels, alerts, links));
    }

    static Map<String, Object> webhookMap(
            String receiver, String groupKey, Labels groupLabels, List<Alert> alerts, Links links) {
        boolean anyFiring = alerts.stream().anyMatch(a -> a.state() == AlertState.FIRING);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "4");
        m.put("groupKey", groupKey);
        m.put("truncatedAlerts", 0);
        m.put("status", anyFiring ? "firing" : "resolved");
        m.put("receiver", receiver);
        m.put("groupLabels", groupLabels.asMap());
        m.put("commonLabels", common(alerts, true, links));
        m.put("commonAnnotations", common(alerts, false, links));
        m.put("externalURL", links.collector());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("status", a.state() == AlertState.FIRING ? "firing" : "resolved");
            e.put("labels", a.labels().asMap());
            e.put("annotations", annotations(a, links));
            e.put("startsAt", a.startsAt().toString());
            e.put("endsAt", a.resolvedAt() == null ? ZERO_TIME : a.resolvedAt().toString());
            e.put("generatorURL", generatorUrl(a, links));
            e.put("fingerprint", a.id());
            list.add(e);
        }
        m.put("alerts", list);
        return m;
    }

    private static Map<String, String> common(List<Alert> alerts, boolean labels, Links links) {
        Map<String, String> common = null;
        for (Alert a : alerts) {
            Map<String, String> m = labels ? a.labels().asMap() : annotations(a, links);
            if (common == null) {
                common = new LinkedHashMap<>(m);
            } else {
                common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
            }
        }
        return common == null ? Map.of() : common;
    }

    /** Slack incoming webhook: a text line per alert with its runbook link. */
    static byte[] slack(String groupKey, Labels groupLabels, List<Alert> alerts, Links links) {
        long firing =
                alerts.stream().filter(a -> a.state() == AlertState.FIRING).count();
        StringBuilder text = new StringBuilder();
        text.append(firing > 0 ? "*[FIRING:" + firing + "]*" : "*[RESOLVED]*");
        groupLabels.asMap().values().forEach(v -> text.append(' ').append(escapeSlack(v)));
        for (Alert a : alerts) {
            String summary = a.annotations().getOrDefault("summary", a.rule());
            text.append("\n• ")
                    .append(a.state() == AlertState.FIRING ? ":red_circle: " : ":white_check_mark: ")
                    .append(escapeSlack(summary))
                    .append(" — <")
                    .append(links.runbook(a.id()))
                    .append("|runbook>");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text.toString());
        m.put("blocks", List.of(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text.toString()))));
        return bytes(m);
    }

    private static String escapeSlack(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** PagerDuty Events v2: trigger while anything fires, resolve when all resolved; one incident per group. */
    static byte[] pagerDuty(String routingKey, String dedupKey, List<Alert> alerts, Links links, Instant now) {
        List<Alert> firing =
                alerts.stream().filter(a -> a.state() == AlertState.FIRING).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("routing_key", routingKey);
        m.put("dedup_key", dedupKey);
        if (firing.isEmpty()) {
            m.put("event_action", "resolve");
            return bytes(m);
        }
        m.put("event_action", "trigger");
        Alert first = firing.get(0);
        String summary = first.annotations()
                .getOrDefault("summary", first.rule() + " " + first.labels().asMap());
        if (firing.size() > 1) {
            summary = summary + " (+" + (firing.size() - 1) + " more)";
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(
                "summary",
                summary.length() > PD_SUMMARY_MAX ? summary.substring(0, PD_SUMMARY_MAX - 1) + "…" : summary);
        String service = first.labels().get("service");
        payload.put("source", service.isEmpty() ? "vigil-collector" : service);
        payload.put(
                "severity",
                switch (first.severity()) {
                    case "page" -> "critical";
                    case "ticket" -> "warning";
                    default -> "info";
                });
        payload.put("timestamp", now.toString());
        payload.put("component", service.isEmpty() ? first.rule() : service);
        payload.put("group", first.labels().get("alertname"));
        payload.put("class", first.rule());
        Map<String, Object> details = new LinkedHashMap<>();
        for (Alert a : firing) {
            details.put(a.id(), Map.of("labels", a.labels().asMap(), "annotations", a.annotations()));
        }
        payload.put("custom_details", details);
        m.put("payload", payload);
        List<Map<String, String>> linkList = new ArrayList<>();
        for (Alert a : firing) {
            linkList.add(Map.of(
                    "href",
                    links.runbook(a.id()),
                    "text",
                    "Runbook: " + a.rule() + " " + a.labels().get("service")));
        }
        m.put("links", linkList);
        m.put("client", "Vigil");
        m.put("client_url", links.collector());
        return bytes(m);
    }

    /** A stable key of at most 64 characters (PagerDuty allows 255). */
    static String hash(String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }
}
