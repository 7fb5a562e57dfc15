package dev.vigil.collector.rules;

import java.time.Instant;
import java.util.List;

/** Receives the result of every evaluation round (the notifier is one). */
public interface AlertListener {
    /**
     * @param now the evaluation time
     * @param alerts every alert now known (pending, firing and recently resolved)
     * @param events the state changes of this round
     */
    void onEvaluation(Instant now, List<Alert> alerts, List<AlertEvent> events);
}
