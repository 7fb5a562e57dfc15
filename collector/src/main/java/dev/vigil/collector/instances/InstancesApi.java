package dev.vigil.collector.instances;

import dev.vigil.collector.http.Access;
import dev.vigil.collector.http.ApiRequest;
import dev.vigil.collector.http.ApiResponse;
import dev.vigil.collector.http.RouteRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/instances}: the reporting service instances as JSON (docs/collector.md). */
public final class InstancesApi {
    private final Instances instances;
    private final Clock clock;

    public InstancesApi(Instances instances, Clock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    public void register(RouteRegistry routes) {
        routes.register("GET", "/api/instances", Access.READ, this::list);
        routes.register("GET", "/api/instances/{id}", Access.READ, r -> instances
                .get(r.pathParam("id"))
                .map(i -> ApiResponse.json(200, view(i)))
                .orElseGet(() -> ApiResponse.error(404, "no instance " + r.pathParam("id"))));
        routes.register(
                "DELETE",
                "/api/instances/{id}",
                Access.ADMIN,
                r -> instances.forget(r.pathParam("id"))
                        ? ApiResponse.json(200, Map.of("forgotten", r.pathParam("id")))
                        : ApiResponse.error(404, "no instance " + r.pathParam("id")));
    }

    private ApiResponse list(ApiRequest r) {
        String service = r.queryParam("service", null);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Instance i : instances.list()) {
            if (service == null || service.equals(i.service())) {
                out.add(view(i));
            }
        }
        return ApiResponse.json(200, Map.of("instances", out));
    }

    private Map<String, Object> view(Instance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("service", i.service());
        m.put("instance", i.instanceId());
        m.put("host", i.host());
        m.put("agent_version", i.agentVersion());
        m.put("state", i.state().label());
        m.put("first_seen", i.firstSeen().toString());
        m.put("last_seen", i.lastSeen().toString());
        m.put(
                "seconds_since_last_seen",
                Math.max(0, (clock.millis() - i.lastSeen().toEpochMilli()) / 1000));
        m.put("stopped_at", i.stoppedAt() == null ? null : i.stoppedAt().toString());
        return m;
    }
}
