package dev.vigil.collector.rules;

import java.time.Instant;
import java.util.Map;

/**
 * One alert: a rule's condition for one label set. Immutable snapshot; the evaluator replaces it
 * on every change.
 *
 * @param id stable id derived from the labels ({@link Labels#id()})
 * @param rule the rule name ({@code alertname})
 * @param labels every label, {@code alertname} and {@code severity} included
 * @param activeAt when the condition started holding (start of pending)
 * @param firedAt when it started firing, null while pending
 * @param resolvedAt when it resolved, null while active
 * @param keepFiringSince when the condition stopped holding while {@code keep_firing_for} keeps it firing
 * @param value last evaluated value
 * @param threshold the rule's threshold for that value
 * @param annotations rendered annotations
 * @param context extra template variables of the series (fingerprint, last_seen)
 * @param ackedAt when someone acknowledged it, null if not
 * @param ackedBy who acknowledged it
 */
public record Alert(
        String id,
        String rule,
        Labels labels,
        AlertState state,
        Instant activeAt,
        Instant firedAt,
        Instant resolvedAt,
        Instant keepFiringSince,
        Instant lastEvalAt,
        double value,
        double threshold,
        Map<String, String> annotations,
        Map<String, String> context,
        Instant ackedAt,
        String ackedBy) {

    public Alert {
        annotations = Map.copyOf(annotations);
        context = Map.copyOf(context);
    }

    /** Prometheus {@code startsAt}: when it started firing (or became active, while pending). */
    public Instant startsAt() {
        return firedAt != null ? firedAt : activeAt;
    }

    public String severity() {
        return labels.get("severity");
    }

    Alert withState(AlertState s) {
        return new Alert(
                id,
                rule,
                labels,
                s,
                activeAt,
                firedAt,
                resolvedAt,
                keepFiringSince,
                lastEvalAt,
                value,
                threshold,
                annotations,
                context,
                ackedAt,
                ackedBy);
    }

    Alert firing(Instant now) {
        return new Alert(
                id,
                rule,
                labels,
                AlertState.FIRING,
                activeAt,
                now,
                null,
                null,
                lastEvalAt,
                value,
                threshold,
                annotations,
                context,
                ackedAt,
                ackedBy);
    }

    Alert resolved(Instant now) {
        return new Alert(
                id,
                rule,
                labels,
                AlertState.RESOLVED,
                activeAt,
                firedAt,
                now,
                keepFiringSince,
                now,
                value,
                threshold,
                annotations,
                context,
                ackedAt,
                ackedBy);
    }

    Alert keepFiringSince(Instant since) {
        return new Alert(
                id,
                rule,
                labels,
                state,
                activeAt,
                firedAt,
                resolvedAt,
                since,
                lastEvalAt,
                value,
                threshold,
                annotations,
                context,
                ackedAt,
                ackedBy);
    }

    Alert evaluated(Instant now, Sample s, Map<String, String> rendered) {
        return new Alert(
                id,
                rule,
                labels,
                state,
                activeAt,
                firedAt,
                resolvedAt,
                null,
                now,
                s.value(),
                s.threshold(),
                rendered,
                s.context(),
                ackedAt,
                ackedBy);
    }

    public Alert acked(Instant at, String by) {
        return new Alert(
                id,
                rule,
                labels,
                state,
                activeAt,
                firedAt,
                resolvedAt,
                keepFiringSince,
                lastEvalAt,
                value,
                threshold,
                annotations,
                context,
                at,
                by);
    }
}
