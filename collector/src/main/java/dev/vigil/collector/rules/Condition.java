package dev.vigil.collector.rules;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** What a rule computes, one record per kind of docs/alert-rules.md. */
public sealed interface Condition {

    String kind();

    /** The windows the rule reads, so inputs know how much history to keep. */
    Duration lookBack();

    /** Functions of the {@code threshold} kind. */
    enum Function {
        RATE,
        INCREASE,
        LAST,
        AVG,
        MAX,
        MIN,
        QUANTILE;

        String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Comparison of the {@code threshold} kind. */
    enum Op {
        GT(">"),
        GE(">="),
        LT("<"),
        LE("<=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }
    }

    /** Denominator of a threshold ratio. */
    record RatioTo(String metric, Function function, List<LabelMatcher> where) {
        public RatioTo {
            where = List.copyOf(where);
        }
    }

    record Threshold(
            String metric,
            Function function,
            double quantile,
            Duration window,
            RatioTo ratioTo,
            Op op,
            double threshold,
            double minRequests)
            implements Condition {
        @Override
        public String kind() {
            return "threshold";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }

    record ErrorRatio(String metric, Duration window, double threshold, double minRequests) implements Condition {
        @Override
        public String kind() {
            return "error_ratio";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }

    record LatencyQuantile(String metric, double quantile, Duration window, double threshold, double minRequests)
            implements Condition {
        @Override
        public String kind() {
            return "latency_quantile";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }

    record NewErrorGroup(Duration window, long minCount) implements Condition {
        @Override
        public String kind() {
            return "new_error_group";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }

    record RegressedErrorGroup(Duration window) implements Condition {
        @Override
        public String kind() {
            return "regressed_error_group";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }

    record ErrorSpike(Duration window, Duration baseline, double factor, long minCount) implements Condition {
        @Override
        public String kind() {
            return "error_spike";
        }

        @Override
        public Duration lookBack() {
            return window.plus(baseline);
        }
    }

    /** One long/short window pair of an SLO burn-rate rule. */
    record BurnWindow(Duration longWindow, Duration shortWindow, double burnRate, String severity) {
        /** The {@code window} label: {@code 1h/5m}. */
        public String label() {
            return Durations.format(longWindow) + "/" + Durations.format(shortWindow);
        }
    }

    record SloBurnRate(double objective, Duration period, String metric, List<BurnWindow> windows, double minRequests)
            implements Condition {
        public SloBurnRate {
            windows = List.copyOf(windows);
        }

        @Override
        public String kind() {
            return "slo_burn_rate";
        }

        @Override
        public Duration lookBack() {
            Duration max = Duration.ZERO;
            for (BurnWindow w : windows) {
                if (w.longWindow().compareTo(max) > 0) {
                    max = w.longWindow();
                }
            }
            return max;
        }
    }

    enum Scope {
        SERVICE,
        INSTANCE
    }

    record HeartbeatAbsent(Scope scope, Duration after, Duration forgetAfter) implements Condition {
        @Override
        public String kind() {
            return "heartbeat_absent";
        }

        @Override
        public Duration lookBack() {
            return after;
        }
    }

    record LogPattern(Pattern pattern, LogLevel level, Duration window, double threshold) implements Condition {
        @Override
        public String kind() {
            return "log_pattern";
        }

        @Override
        public Duration lookBack() {
            return window;
        }
    }
}
