package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.OtlpSink.ReceivedSpan;
import dev.vigil.it.harness.PrometheusText;
import dev.vigil.it.harness.Promtool;
import dev.vigil.it.harness.Wait;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Business metrics declared in vigil.yaml, and Micrometer / OpenTelemetry annotations, on the shop
 * service in a real JVM: every meter type, every tag source, interfaces, subclasses, overloads,
 * static and recursive methods, failures, the cardinality cap, bad input, and export to /metrics and
 * over OTLP.
 */
@Tag("jdk-matrix")
class BusinessMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CONFIG = String.join(
            "\n",
            "metrics:",
            "  - name: orders.placed",
            "    type: counter",
            "    method: com.shop.OrderService#placeOrder",
            "    tags:",
            "      region: arg0.region",
            "      channel: arg0.channel",
            "      tier: \"arg0.attributes['tier']\"",
            "      outcome: outcome",
            "      category: error.category",
            "  - name: orders.status",
            "    type: counter",
            "    method: com.shop.OrderService#placeOrder(com.shop.Order)",
            "    tags: { status: return.status, coupon: arg0.coupon.code, first: 'return.lines[0]' }",
            "  - name: orders.items",
            "    type: counter",
            "    method: com.shop.OrderService#placeOrder",
            "    value: arg0.quantity",
            "  - name: order.value",
            "    type: distribution",
            "    method: com.shop.OrderService#placeOrder",
            "    value: arg0.total",
            "    unit: euros",
            "    buckets: [10, 100, 1000]",
            "    tags: { region: arg0.region }",
            "  - name: payment.authorizations",
            "    type: counter",
            "    method: com.shop.PaymentGateway+#authorize",
            "    tags: { outcome: outcome, error: error.type }",
            "  - name: payment.charged",
            "    type: distribution",
            "    method: com.shop.PaymentService#charge(java.math.BigDecimal,*)",
            "    value: arg0",
            "  - name: payment.cents",
            "    type: counter",
            "    method: com.shop.PaymentService#charge(long)",
            "  - name: pricing.discount",
            "    type: timer",
            "    method: com.shop.Pricing#discount",
            "  - name: pricing.depth",
            "    type: counter",
            "    method: com.shop.Pricing#depth",
            "  - name: inventory.remaining",
            "    type: gauge",
            "    method: com.shop.Inventory#reserve",
            "    value: return",
            "    tags: { sku: arg0 }",
            "  - name: order.skus",
            "    type: counter",
            "    method: com.shop.OrderService#placeOrder",
            "    max_series: 3",
            "    tags: { sku: arg0.sku }",
            "  - name: order.sku.value",
            "    type: distribution",
            "    method: com.shop.OrderService#placeOrder",
            "    value: arg0.sku",
            "  - name: missing.class",
            "    type: counter",
            "    method: com.shop.Nope#place",
            "  - name: missing.method",
            "    type: counter",
            "    method: com.shop.OrderService#placeOrdr",
            "");

    @TempDir
    static Path dir;

    private static OtlpSink sink;
    private static AgentApp app;

    @BeforeAll
    static void start() throws IOException {
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
        sink = OtlpSink.start();
        app = AgentApp.start("shop-service", sink, "config=" + config, "metrics.otlp.interval=500ms");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static int run(String query) {
        return Http.status(app.url("/run?" + query));
    }

    private static double value(String name, String... labels) {
        return PrometheusText.value(app.scrape(), name, labelMap(labels));
    }

    private static Map<String, String> labelMap(String... labels) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return m;
    }

    private static void awaitValue(double expected, String name, String... labels) {
        Wait.until(
                WAIT,
                name + labelMap(labels) + " = " + expected,
                () -> value(name, labels) == expected,
                () -> "scrape:\n" + app.scrape() + "\n" + app.process().tail());
    }

    @Test
    void counterTagsComeFromGettersFieldsMapKeysOutcomeAndErrorCategory() {
        assertThat(run("op=order&region=eu&channel=web&qty=2")).isEqualTo(200);
        assertThat(run("op=order&region=eu&channel=web&qty=0")).isEqualTo(500);
        awaitValue(
                1,
                "orders_placed_total",
                "region",
                "eu",
                "channel",
                "web",
                "tier",
                "retail",
                "outcome",
                "success",
                "category",
                "none",
                "service",
                "shop-service");
        awaitValue(
                1,
                "orders_placed_total",
                "region",
                "eu",
                "channel",
                "web",
                "outcome",
                "error",
                "category",
                "invalid_input");
    }

    @Test
    void tagsFromTheReturnValueAndNullPathsAreUnknownAndCounted() {
        run("op=order&region=us&qty=20&coupon=SPRING&sku=B-2");
        run("op=order&region=us&qty=1&sku=C-3");
        awaitValue(1, "orders_status_total", "status", "review", "coupon", "SPRING", "first", "B-2");
        awaitValue(1, "orders_status_total", "status", "accepted", "coupon", "unknown", "first", "C-3");
        assertThat(value(
                        "vigil_agent_metric_unresolved_total",
                        "metric",
                        "orders.status",
                        "source",
                        "coupon",
                        "reason",
                        "null"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void counterWithAValueAddsIt() {
        double before = zeroIfAbsent(value("orders_items_total"));
        run("op=order&region=ap&qty=7");
        awaitValue(before + 7, "orders_items_total");
    }

    @Test
    void distributionOfAPropertyWithUnitAndBuckets() {
        run("op=order&region=sa&qty=1&total=250.5");
        awaitValue(1, "order_value_euros_count", "region", "sa");
        assertThat(value("order_value_euros_sum", "region", "sa")).isEqualTo(250.5);
        assertThat(value("order_value_euros_bucket", "region", "sa", "le", "100.0"))
                .isZero();
        assertThat(value("order_value_euros_bucket", "region", "sa", "le", "1000.0"))
                .isEqualTo(1);
    }

    @Test
    void interfaceSelectorCoversEveryImplementationAndASuperCallCountsOnce() {
        run("op=authorize&gateway=card&amount=10");
        run("op=authorize&gateway=premium&amount=10");
        run("op=authorize&gateway=wallet&amount=10");
        run("op=authorize&gateway=card&amount=5000");
        awaitValue(3, "payment_authorizations_total", "outcome", "success", "error", "none");
        awaitValue(1, "payment_authorizations_total", "outcome", "error", "error", "PaymentDeclinedException");
    }

    @Test
    void parameterTypesSelectOneOverload() {
        run("op=charge&amount=50");
        run("op=charge-default&amount=20"); // delegates to charge(BigDecimal, String)
        run("op=charge-cents&cents=300");
        awaitValue(2, "payment_charged_count");
        assertThat(value("payment_charged_sum")).isEqualTo(70);
        awaitValue(1, "payment_cents_total");
    }

    @Test
    void staticMethodTimerAndRecursiveMethodCountedOncePerOutermostCall() {
        run("op=discount&percent=10&price=100");
        run("op=depth&levels=6");
        awaitValue(1, "pricing_discount_seconds_count");
        assertThat(value("pricing_discount_seconds_bucket", "le", "10.0")).isEqualTo(1);
        awaitValue(1, "pricing_depth_total");
    }

    @Test
    void gaugeKeepsTheLastValue() {
        run("op=reserve&sku=G-1&qty=5");
        run("op=reserve&sku=G-1&qty=10");
        awaitValue(85, "inventory_remaining", "sku", "G-1");
    }

    @Test
    void beyondMaxSeriesNewTagValuesGoToOtherAndTheOverflowIsCounted() {
        for (int i = 0; i < 6; i++) {
            run("op=order&region=cap&qty=1&sku=cap-" + i);
        }
        Wait.until(
                WAIT,
                "overflow counted",
                () -> value("vigil_agent_metric_overflow_total", "metric", "order.skus") >= 1,
                app::scrape);
        String scrape = app.scrape();
        assertThat(PrometheusText.value(scrape, "order_skus_total", Map.of("sku", "other")))
                .isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.count(scrape, "order_skus_total")).as(scrape).isLessThanOrEqualTo(4);
        assertThat(app.process().outputText()).contains("metric order.skus reached 3 distinct tag sets");
    }

    @Test
    void badInputIsReportedOnceAndNeverReachesTheApplication() {
        run("op=order&region=bad&qty=1&sku=X-1");
        run("op=order&region=bad&qty=1&sku=X-2");
        Wait.until(
                WAIT,
                "non-numeric value counted",
                () -> value("vigil_agent_metric_unresolved_total", "metric", "order.sku.value", "reason", "not_numeric")
                        >= 2,
                app::scrape);
        String log = app.process().outputText();
        assertThat(log)
                .contains("metric order.sku.value (vigil.yaml:")
                .contains("value 'arg0.sku' is a java.lang.String, not a number")
                .contains("class com.shop.Nope is not found by any class loader")
                .contains("class com.shop.OrderService has no method matching 'com.shop.OrderService#placeOrdr'")
                .contains("placeOrder(com.shop.Order)");
        assertThat(occurrences(log, "value 'arg0.sku' is a java.lang.String")).isEqualTo(1);
        assertThat(occurrences(log, "class com.shop.Nope is not found")).isEqualTo(1);
        assertThat(value("vigil_agent_instrumentation_errors_total")).isZero();
    }

    @Test
    void micrometerTimedAndCountedAreHonouredWithoutAop() {
        run("op=checkout&cart=abc");
        run("op=checkout&cart=");
        run("op=refund&id=o-1");
        run("op=refund&id=x-2");
        awaitValue(
                1,
                "shop_checkout_seconds_count",
                "class",
                "com.shop.CheckoutService",
                "method",
                "checkout",
                "exception",
                "none",
                "flow",
                "web");
        awaitValue(1, "shop_checkout_seconds_count", "exception", "IllegalArgumentException");
        awaitValue(1, "shop_refunds_total", "method", "refund", "result", "success", "exception", "none");
        awaitValue(1, "shop_refunds_total", "result", "failure", "exception", "IllegalStateException");
    }

    @Test
    void timedOnAClassTimesItsPublicMethodsAndCountedCanCountFailuresOnly() {
        run("op=catalog-size");
        run("op=lookup&sku=A");
        run("op=lookup&sku=");
        awaitValue(1, "shop_catalog_seconds_count", "class", "com.shop.Catalog", "method", "size");
        awaitValue(1, "shop_catalog_seconds_count", "method", "lookup", "exception", "none");
        awaitValue(1, "shop_catalog_seconds_count", "method", "lookup", "exception", "IllegalArgumentException");
        awaitValue(1, "shop_lookup_failures_total", "result", "failure", "exception", "IllegalArgumentException");
        assertThat(value("shop_lookup_failures_total", "result", "success"))
                .as("recordFailuresOnly")
                .isNaN();
    }

    @Test
    void withSpanMakesAChildSpanWithSpanAttributes() {
        run("op=ship&sku=S-9&qty=4");
        run("op=ship&sku=&qty=1");
        ReceivedSpan ship = sink.awaitSpan(s -> s.name().equals("ship") && "S-9".equals(s.attr("shop.sku")), WAIT);
        assertThat(ship.attr("shop.quantity")).isEqualTo("4");
        assertThat(ship.isError()).isFalse();
        ReceivedSpan server = sink.awaitSpan(s -> s.spanId().equals(ship.parentSpanId()), WAIT);
        assertThat(server.attr("http.route")).isEqualTo("/run");
        ReceivedSpan failed = sink.awaitSpan(s -> s.name().equals("ship") && s.isError(), WAIT);
        assertThat(failed.attr("error.type")).isEqualTo("java.lang.IllegalArgumentException");
    }

    @Test
    void businessAndHttpMetricsArePushedOverOtlpUnderTheirOpenTelemetryNames() {
        run("op=order&region=otlp&qty=3");
        Wait.until(
                WAIT,
                "orders.placed{region=otlp} and http.server.request.duration over OTLP",
                () -> otlpSum("orders.placed", "region", "otlp") >= 1
                        && !otlpMetrics("http.server.request.duration").isEmpty(),
                () -> "metrics received: " + names());
        Metric http = otlpMetrics("http.server.request.duration").get(0);
        assertThat(http.getUnit()).isEqualTo("s");
        assertThat(http.hasHistogram()).isTrue();
        assertThat(http.getHistogram().getDataPoints(0).getExplicitBoundsList()).contains(0.005, 10.0);
        assertThat(attributes(http.getHistogram().getDataPoints(0).getAttributesList()))
                .containsKey("http.route")
                .doesNotContainKey("service");
        ResourceMetrics rm = sink.metrics().get(0);
        assertThat(attributes(rm.getResource().getAttributesList())).containsEntry("service.name", "shop-service");
        Metric value = otlpMetrics("order.value").get(0);
        assertThat(value.getUnit()).isEqualTo("euros");
        assertThat(value.getHistogram().getDataPoints(0).getExplicitBoundsList())
                .containsExactly(10.0, 100.0, 1000.0);
    }

    @Test
    void metricsEndpointStillPassesPromtool() {
        run("op=order&region=eu&qty=1");
        Promtool.Result result = Promtool.checkMetrics(app.scrape());
        assertThat(result.exitCode).as(result.output).isZero();
    }

    private static double zeroIfAbsent(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<Metric> otlpMetrics(String name) {
        List<Metric> out = new ArrayList<>();
        List<ResourceMetrics> all = sink.metrics();
        for (int i = all.size() - 1; i >= 0; i--) { // newest first
            for (ScopeMetrics sm : all.get(i).getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    if (m.getName().equals(name)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    private static double otlpSum(String name, String key, String value) {
        for (Metric m : otlpMetrics(name)) {
            for (io.opentelemetry.proto.metrics.v1.NumberDataPoint p :
                    m.getSum().getDataPointsList()) {
                if (value.equals(attributes(p.getAttributesList()).get(key))) {
                    return p.getAsDouble();
                }
            }
        }
        return 0;
    }

    private static java.util.Set<String> names() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (ResourceMetrics rm : sink.metrics()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    out.add(m.getName());
                }
            }
        }
        return out;
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new java.util.HashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), kv.getValue().getStringValue());
        }
        return out;
    }
}
