package dev.vigil.collector.errors;

import dev.vigil.collector.http.Access;
import dev.vigil.collector.http.ApiRequest;
import dev.vigil.collector.http.ApiResponse;
import dev.vigil.collector.http.RouteRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code /api/errors}: the error groups as JSON (docs/collector.md), and the triage actions. */
public final class ErrorGroupsApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ErrorGroups groups;

    public ErrorGroupsApi(ErrorGroups groups) {
        this.groups = groups;
    }

    public void register(RouteRegistry routes) {
        routes.register("GET", "/api/errors", Access.READ, this::list);
        routes.register("GET", "/api/errors/{id}", Access.READ, this::get);
        routes.register("POST", "/api/errors/{id}/resolve", Access.ADMIN, r -> setStatus(r, ErrorStatus.RESOLVED));
        routes.register("POST", "/api/errors/{id}/ignore", Access.ADMIN, r -> setStatus(r, ErrorStatus.IGNORED));
        routes.register("POST", "/api/errors/{id}/reopen", Access.ADMIN, r -> setStatus(r, ErrorStatus.ONGOING));
    }

    private ApiResponse list(ApiRequest r) {
        ErrorStatus status = null;
        String s = r.queryParam("status", null);
        if (s != null) {
            try {
                status = ErrorStatus.parse(s);
            } catch (IllegalArgumentException e) {
                return ApiResponse.error(400, "status must be one of new, ongoing, regressed, resolved, ignored");
            }
        }
        int limit;
        try {
            limit = Integer.parseInt(r.queryParam("limit", Integer.toString(DEFAULT_LIMIT)));
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "limit must be a number");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return ApiResponse.error(400, "limit must be between 1 and " + MAX_LIMIT);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ErrorGroup g : groups.list(r.queryParam("service", null), status, limit)) {
            out.add(summary(g));
        }
        return ApiResponse.json(200, Map.of("groups", out));
    }

    private ApiResponse get(ApiRequest r) {
        return groups.get(r.pathParam("id"))
                .map(g -> ApiResponse.json(200, detail(g)))
                .orElseGet(() -> ApiResponse.error(404, "no error group " + r.pathParam("id")));
    }

    private ApiResponse setStatus(ApiRequest r, ErrorStatus status) throws Exception {
        Optional<ErrorGroup> g = groups.setStatus(r.pathParam("id"), status).get(30, TimeUnit.SECONDS);
        return g.map(x -> ApiResponse.json(200, detail(x)))
                .orElseGet(() -> ApiResponse.error(404, "no error group " + r.pathParam("id")));
    }

    static Map<String, Object> summary(ErrorGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("service", g.service());
        m.put("fingerprint", g.fingerprint());
        m.put("type", g.type());
        m.put("message", g.message());
        m.put("category", g.category());
        m.put("retryable", g.retryable());
        m.put("status", g.status().label());
        m.put("first_seen", g.firstSeen().toString());
        m.put("last_seen", g.lastSeen().toString());
        m.put("count", g.count());
        m.put("last_hour_count", g.lastHourCount());
        m.put("status_changed_at", g.statusChangedAt().toString());
        return m;
    }

    static Map<String, Object> detail(ErrorGroup g) {
        Map<String, Object> m = summary(g);
        m.put("stack_trace", g.stackTrace());
        m.put("trace_ids", g.traceIds());
        m.put("log_lines", g.logLines());
        return m;
    }
}
