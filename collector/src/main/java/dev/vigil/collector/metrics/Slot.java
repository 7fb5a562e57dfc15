package dev.vigil.collector.metrics;

/**
 * What one series received during one time slot: the increase of a counter (or of a histogram's
 * count), a histogram's sum and per-bucket increases, and gauge samples. Old slots are merged
 * into coarser ones, so every field must be mergeable by addition, min or max.
 */
final class Slot {
    final long start;
    final long resolution;
    double increase;
    double sum;
    long[] buckets;
    double gaugeSum;
    long gaugeCount;
    double last = Double.NaN;
    long lastTime = Long.MIN_VALUE;
    double min = Double.NaN;
    double max = Double.NaN;

    Slot(long start, long resolution) {
        this.start = start;
        this.resolution = resolution;
    }

    long end() {
        return start + resolution;
    }

    void observeExtreme(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        min = Double.isNaN(min) ? value : Math.min(min, value);
        max = Double.isNaN(max) ? value : Math.max(max, value);
    }

    void gauge(long time, double value) {
        gaugeSum += value;
        gaugeCount++;
        if (time >= lastTime) {
            last = value;
            lastTime = time;
        }
        observeExtreme(value);
    }

    void addBuckets(long[] delta) {
        if (buckets == null) {
            buckets = delta.clone();
        } else if (buckets.length == delta.length) {
            for (int i = 0; i < delta.length; i++) {
                buckets[i] += delta[i];
            }
        }
    }

    void mergeFrom(Slot other) {
        increase += other.increase;
        sum += other.sum;
        if (other.buckets != null) {
            addBuckets(other.buckets);
        }
        gaugeSum += other.gaugeSum;
        gaugeCount += other.gaugeCount;
        if (other.lastTime >= lastTime) {
            last = other.last;
            lastTime = other.lastTime;
        }
        observeExtreme(other.min);
        observeExtreme(other.max);
    }
}
