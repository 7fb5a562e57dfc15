package dev.vigil.collector.metrics;

/** Prometheus' {@code histogram_quantile} over explicit bucket bounds (upper bounds, +Inf last). */
final class HistogramQuantile {
    private HistogramQuantile() {}

    /** NaN when there is no observation. */
    static double of(double q, double[] bounds, long[] buckets) {
        long total = 0;
        for (long b : buckets) {
            total += b;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            long before = cumulative;
            cumulative += buckets[i];
            if (cumulative >= rank && buckets[i] > 0) {
                if (i == bounds.length) {
                    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
                }
                double upper = bounds[i];
                double lower = i == 0 ? Math.min(0, upper) : bounds[i - 1];
                return lower + (upper - lower) * ((rank - before) / buckets[i]);
            }
        }
        return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
    }
}
