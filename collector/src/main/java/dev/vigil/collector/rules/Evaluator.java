package dev.vigil.collector.rules;

import static java.util.Objects.requireNonNull;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the rules on their groups' intervals and keeps every alert's state, persisted in
 * {@link AlertStore} after each round so that a restart resumes firing alerts (and still sends
 * their resolves). A rule that fails to evaluate keeps its alerts as they were: an error in the
 * inputs must not resolve a real incident.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    private final RuleInputs inputs;
    private final LogPatternCounts logs;
    private final AlertStore store;
    private final Clock clock;
    private final Links links;
    private final List<AlertListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AlertStateMachine machine = new AlertStateMachine();
    private final Map<String, Instant> lastGroupEval = new HashMap<>();
    private final Map<String, Template> templates = new ConcurrentHashMap<>();
    private final AtomicLong evaluationFailures = new AtomicLong();
    private final AtomicLong persistFailures = new AtomicLong();
    private volatile RuleSet rules;
    private volatile Map<String, Alert> published = Map.of();
    private volatile Duration lastRoundDuration = Duration.ZERO;

    private Evaluator(
            RuleSet rules, RuleInputs inputs, LogPatternCounts logs, AlertStore store, Clock clock, Links links) {
        this.rules = requireNonNull(rules, "rules");
        this.inputs = requireNonNull(inputs, "inputs");
        this.logs = requireNonNull(logs, "logs");
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.links = requireNonNull(links, "links");
    }

    /** Creates an evaluator and restores the alerts persisted by an earlier run. */
    public static Evaluator create(
            RuleSet rules, RuleInputs inputs, LogPatternCounts logs, AlertStore store, Clock clock, Links links)
            throws SQLException {
        Evaluator e = new Evaluator(rules, inputs, logs, store, clock, links);
        for (Alert a : store.loadAll()) {
            e.machine.restore(a);
        }
        e.publish();
        logs.update(rules);
        return e;
    }

    public void addListener(AlertListener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    public RuleSet rules() {
        return rules;
    }

    public Links links() {
        return links;
    }

    public RuleInputs inputs() {
        return inputs;
    }

    /** Switches to a new, already validated rule set; the next round resolves alerts of removed rules. */
    public synchronized void replaceRules(RuleSet next) {
        rules = requireNonNull(next, "next");
        templates.clear();
        logs.update(next);
        lastGroupEval.clear();
    }

    /** Evaluates the groups whose interval has elapsed; returns the state changes. */
    public synchronized List<AlertEvent> evaluateDue() {
        return evaluate(false);
    }

    /** Evaluates every group now, whatever its interval (tests, and {@code POST /api/reload}). */
    public synchronized List<AlertEvent> evaluateAll() {
        return evaluate(true);
    }

    private List<AlertEvent> evaluate(boolean all) {
        Instant now = clock.instant();
        long started = System.nanoTime();
        RuleSet current = rules;
        List<AlertEvent> events = new ArrayList<>();
        List<Alert> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        ConditionEvaluator conditions = new ConditionEvaluator(inputs, logs);
        Set<String> live = new HashSet<>();
        for (AlertRule r : current.rules()) {
            live.add(r.name());
        }
        events.addAll(machine.retire(live, now, changed, removed));
        for (Map.Entry<String, List<AlertRule>> group : current.byGroup().entrySet()) {
            Duration interval = group.getValue().get(0).interval();
            Instant last = lastGroupEval.get(group.getKey());
            // A little slack so that a tick that arrives a few ms early does not skip a whole interval.
            if (!all
                    && last != null
                    && Duration.between(last, now).plusMillis(50).compareTo(interval) < 0) {
                continue;
            }
            lastGroupEval.put(group.getKey(), now);
            for (AlertRule rule : group.getValue()) {
                List<Sample> samples;
                try {
                    samples = conditions.evaluate(rule, now);
                } catch (RuntimeException e) {
                    evaluationFailures.incrementAndGet();
                    LOG.warn(
                            "rule " + rule.name() + " (" + rule.source() + ") failed to evaluate;"
                                    + " its alerts stay as they were: " + e,
                            e);
                    continue;
                }
                events.addAll(machine.apply(rule, samples, now, this::annotate, changed, removed));
            }
        }
        try {
            store.save(dedupe(changed), removed, events, now);
        } catch (SQLException e) {
            persistFailures.incrementAndGet();
            LOG.error("cannot persist alert state; a restart now would lose this round's changes: " + e, e);
        }
        publish();
        List<Alert> snapshot = machine.all();
        for (AlertListener l : listeners) {
            try {
                l.onEvaluation(now, snapshot, events);
            } catch (RuntimeException e) {
                LOG.error("alert listener " + l + " failed: " + e, e);
            }
        }
        lastRoundDuration = Duration.ofNanos(System.nanoTime() - started);
        return events;
    }

    private static List<Alert> dedupe(List<Alert> changed) {
        Map<String, Alert> last = new LinkedHashMap<>();
        for (Alert a : changed) {
            last.put(a.id(), a);
        }
        return new ArrayList<>(last.values());
    }

    private Map<String, String> annotate(AlertRule rule, Labels labels, Sample s, AlertState state, Instant activeAt) {
        if (rule.annotations().isEmpty()) {
            return Map.of();
        }
        Alert draft = new Alert(
                labels.id(),
                rule.name(),
                labels,
                state,
                activeAt,
                null,
                null,
                null,
                clock.instant(),
                s.value(),
                s.threshold(),
                Map.of(),
                s.context(),
                null,
                null);
        Map<String, Object> vars = variables(draft, rule);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : rule.annotations().entrySet()) {
            try {
                Template t = templates.computeIfAbsent(rule.name() + "\u0000" + a.getKey(), k -> compile(a.getValue()));
                out.put(a.getKey(), t.execute(vars).strip());
            } catch (MustacheException | IllegalArgumentException e) {
                // The template compiled at load; a render failure leaves the raw template visible.
                out.put(a.getKey(), a.getValue());
            }
        }
        return out;
    }

    /** Template variables of an alert (annotations and runbooks share them). */
    public Map<String, Object> variables(Alert alert, AlertRule rule) {
        RuleInputs.ErrorGroupView group = null;
        try {
            group = TemplateVariables.errorGroupFor(alert, inputs.errorGroups(), clock.instant());
        } catch (RuntimeException e) {
            LOG.debug("error groups unavailable for templates: " + e);
        }
        String expr = rule == null ? null : PromQl.graphExpr(rule, alert.labels());
        return TemplateVariables.of(alert, rule, group, links, expr);
    }

    static Template compile(String template) {
        return Mustache.compiler().escapeHTML(false).defaultValue("").compile(template);
    }

    /** The alerts after the last round (or acknowledgement); never waits for a running round. */
    public List<Alert> alerts() {
        return List.copyOf(published.values());
    }

    public Alert alert(String id) {
        return published.get(id);
    }

    private void publish() {
        Map<String, Alert> next = new LinkedHashMap<>();
        for (Alert a : machine.all()) {
            next.put(a.id(), a);
        }
        published = next;
    }

    /**
     * Acknowledges a firing or pending alert: repeats stop until it resolves or fires anew.
     *
     * @return the acknowledged alert, or null if there is no active alert with that id
     */
    public synchronized Alert acknowledge(String id, String by, Instant at) throws SQLException {
        Alert a = machine.get(id);
        if (a == null || a.state() == AlertState.RESOLVED) {
            return null;
        }
        Alert acked = a.acked(at, by);
        machine.put(acked);
        publish();
        store.save(List.of(acked), List.of(), List.of(new AlertEvent(acked, "acked")), at);
        return acked;
    }

    public long evaluationFailures() {
        return evaluationFailures.get();
    }

    public long persistFailures() {
        return persistFailures.get();
    }

    public Duration lastRoundDuration() {
        return lastRoundDuration;
    }
}
