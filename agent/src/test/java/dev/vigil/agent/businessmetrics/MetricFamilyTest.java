package dev.vigil.agent.businessmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.errors.ErrorClassifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MetricFamilyTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ActiveHook hook(String yaml, int maxSeries, int maxTagLength) {
        HookSpec spec = HookFileParser.parse("vigil.yaml", "metrics:\n  - " + yaml + "\n")
                .hooks
                .get(0);
        MetricFamily family = new MetricFamily(spec, registry, maxSeries);
        return new ActiveHook(
                1,
                spec,
                family,
                maxTagLength,
                BusinessMetrics.errorCategory(ErrorClassifier.create()),
                registry,
                false);
    }

    @Test
    void beyondTheCapNewTagSetsGoToOtherAndAreCounted() {
        ActiveHook h = hook("{name: orders, type: counter, method: 'x.Y#z', tags: {sku: arg0}}", 3, 128);
        for (int i = 0; i < 10; i++) {
            h.record(0, new Object[] {"sku-" + i}, null, null);
        }
        h.record(0, new Object[] {"sku-0"}, null, null);
        assertThat(registry.get("orders").counters()).hasSize(4);
        assertThat(registry.get("orders").tag("sku", "sku-0").counter().count()).isEqualTo(2);
        assertThat(registry.get("orders").tag("sku", "other").counter().count()).isEqualTo(7);
        assertThat(registry.get("vigil.agent.metric.overflow")
                        .tag("metric", "orders")
                        .counter()
                        .count())
                .isEqualTo(7);
        assertThat(h.family().seriesCount()).isEqualTo(3);
    }

    @Test
    void longTagValuesAreCut() {
        ActiveHook h = hook("{name: orders, type: counter, method: 'x.Y#z', tags: {sku: arg0}}", 100, 8);
        h.record(0, new Object[] {"abcdefghijklmnop"}, null, null);
        assertThat(registry.get("orders").tag("sku", "abcdefgh").counter().count())
                .isEqualTo(1);
    }

    @Test
    void unresolvedAndNullTagsAreUnknownAndCounted() {
        ActiveHook h = hook("{name: orders, type: counter, method: 'x.Y#z', tags: {region: arg0.region}}", 100, 128);
        h.record(0, new Object[] {"a string has no region"}, null, null);
        h.record(0, new Object[] {null}, null, null);
        assertThat(registry.get("orders").tag("region", "unknown").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("vigil.agent.metric.unresolved")
                        .tags("metric", "orders", "source", "region", "reason", "unresolved")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.agent.metric.unresolved")
                        .tags("reason", "null")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void outcomeAndErrorTags() {
        ActiveHook h = hook(
                "{name: calls, type: counter, method: 'x.Y#z', tags: {outcome: outcome, category: error.category,"
                        + " type: error.type}}",
                100,
                128);
        h.record(0, null, null, null);
        h.record(0, null, null, new IllegalArgumentException("bad sku"));
        h.record(0, null, null, new java.util.concurrent.TimeoutException());
        assertThat(registry.get("calls")
                        .tags("outcome", "success", "category", "none", "type", "none")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("calls")
                        .tags("outcome", "error", "category", "invalid_input", "type", "IllegalArgumentException")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("calls").tags("category", "timeout").counter().count())
                .isEqualTo(1);
    }

    @Test
    void distributionGaugeAndNonNumericValues() {
        ActiveHook amount = hook("{name: amount, type: distribution, method: 'x.Y#z', value: arg0}", 100, 128);
        amount.record(0, new Object[] {new BigDecimal("12.5")}, null, null);
        amount.record(0, new Object[] {"twelve"}, null, null);
        assertThat(registry.get("amount").summary().count()).isEqualTo(1);
        assertThat(registry.get("amount").summary().totalAmount()).isEqualTo(12.5);
        assertThat(registry.get("vigil.agent.metric.unresolved")
                        .tags("metric", "amount", "source", "value", "reason", "not_numeric")
                        .counter()
                        .count())
                .isEqualTo(1);

        ActiveHook stock = hook("{name: stock, type: gauge, method: 'x.Y#z', value: return}", 100, 128);
        stock.record(0, null, 5, null);
        stock.record(0, null, 3L, null);
        assertThat(registry.get("stock").gauge().value()).isEqualTo(3);
    }

    @Test
    void timerRecordsTheCallDuration() {
        ActiveHook h = hook("{name: checkout, type: timer, method: 'x.Y#z'}", 100, 128);
        h.record(System.nanoTime() - 5_000_000, null, null, null);
        assertThat(registry.get("checkout").timer().count()).isEqualTo(1);
        assertThat(registry.get("checkout").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void closingAFamilyRemovesItsSeries() {
        ActiveHook h = hook("{name: orders, type: counter, method: 'x.Y#z', tags: {sku: arg0}}", 100, 128);
        h.record(0, new Object[] {"a"}, null, null);
        h.family().close();
        assertThat(registry.find("orders").counters()).isEmpty();
        assertThat(registry.find("vigil.agent.metric.overflow").counters()).isEmpty();
    }
}
