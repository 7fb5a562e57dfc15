package dev.vigil.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeterSnapshotTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterSnapshot snapshot = new MeterSnapshot(Resource.getDefault(), 1_000, "service");

    private MetricData read(String name) {
        List<MetricData> all = snapshot.read(registry.getMeters(), 2_000);
        return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void timersBecomeCumulativeHistogramsInSecondsWithTheirBuckets() {
        registry.config().commonTags("service", "shop");
        Timer t = Timer.builder("http.server.request.duration")
                .tag("http.route", "/a")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
                .register(registry);
        t.record(5, TimeUnit.MILLISECONDS);
        t.record(50, TimeUnit.MILLISECONDS);
        t.record(50, TimeUnit.MILLISECONDS);
        t.record(2, TimeUnit.SECONDS);
        MetricData m = read("http.server.request.duration");
        assertThat(m.getType()).isEqualTo(MetricDataType.HISTOGRAM);
        assertThat(m.getUnit()).isEqualTo("s");
        HistogramPointData p = m.getHistogramData().getPoints().iterator().next();
        assertThat(p.getBoundaries()).containsExactly(0.01, 0.1);
        assertThat(p.getCounts()).containsExactly(1L, 2L, 1L);
        assertThat(p.getCount()).isEqualTo(4);
        assertThat(p.getSum()).isEqualTo(2.105, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.getMax()).isEqualTo(2.0);
        assertThat(p.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/a");
        assertThat(p.getAttributes().get(AttributeKey.stringKey("service")))
                .as("the resource carries the service")
                .isNull();
        assertThat(p.getStartEpochNanos()).isEqualTo(1_000);
        assertThat(p.getEpochNanos()).isEqualTo(2_000);
    }

    @Test
    void countersAreMonotonicSumsAndGaugesGaugesOnePointPerTagSet() {
        Counter.builder("orders.placed").tag("region", "eu").register(registry).increment(3);
        Counter.builder("orders.placed").tag("region", "us").register(registry).increment();
        Gauge.builder("stock", () -> 7).register(registry);
        Gauge.builder("broken", () -> Double.NaN).register(registry);
        MetricData orders = read("orders.placed");
        assertThat(orders.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
        assertThat(orders.getDoubleSumData().isMonotonic()).isTrue();
        assertThat(orders.getDoubleSumData().getPoints()).hasSize(2);
        assertThat(read("stock")
                        .getDoubleGaugeData()
                        .getPoints()
                        .iterator()
                        .next()
                        .getValue())
                .isEqualTo(7);
        assertThat(snapshot.read(registry.getMeters(), 2_000))
                .as("a NaN gauge has no point to send")
                .noneMatch(m -> m.getName().equals("broken"));
    }

    @Test
    void distributionSummariesKeepTheirUnitAndBuckets() {
        DistributionSummary s = DistributionSummary.builder("payment.amount")
                .baseUnit("euros")
                .serviceLevelObjectives(10, 100)
                .register(registry);
        s.record(5);
        s.record(500);
        HistogramPointData p =
                read("payment.amount").getHistogramData().getPoints().iterator().next();
        assertThat(read("payment.amount").getUnit()).isEqualTo("euros");
        assertThat(p.getCounts()).containsExactly(1L, 0L, 1L);
        assertThat(p.getSum()).isEqualTo(505);
    }
}
