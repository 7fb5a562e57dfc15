package dev.vigil.collector.notify;

import dev.vigil.collector.rules.LabelMatcher;
import dev.vigil.collector.rules.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A routing node as in Alertmanager: an alert goes to the first child route whose matchers match
 * (to more with {@code continue}), or to this route if no child matches. Children inherit the
 * parent's receiver and timings unless they set their own (resolved when parsing).
 */
public record RouteConfig(
        String id,
        List<LabelMatcher> matchers,
        String receiver,
        List<String> groupBy,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        boolean sendResolved,
        boolean continueMatching,
        List<RouteConfig> routes) {

    public RouteConfig {
        matchers = List.copyOf(matchers);
        groupBy = List.copyOf(groupBy);
        routes = List.copyOf(routes);
    }

    /** The routes an alert with these labels goes to (at least this one, for the root). */
    List<RouteConfig> match(Labels labels) {
        List<RouteConfig> out = new ArrayList<>();
        boolean childMatched = false;
        for (RouteConfig child : routes) {
            if (LabelMatcher.matchesAll(child.matchers, labels)) {
                out.addAll(child.match(labels));
                childMatched = true;
                if (!child.continueMatching) {
                    break;
                }
            }
        }
        if (!childMatched) {
            out.add(this);
        }
        return out;
    }

    /** Every route of the tree, this one first. */
    List<RouteConfig> all() {
        List<RouteConfig> out = new ArrayList<>();
        out.add(this);
        for (RouteConfig c : routes) {
            out.addAll(c.all());
        }
        return out;
    }

    /** {@code group_by: ['...']} groups by all labels, as in Alertmanager. */
    boolean groupsByAll() {
        return groupBy.contains("...");
    }
}
