package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.harness.AgentApp;
import dev.vigil.it.harness.Http;
import dev.vigil.it.harness.OtlpSink;
import dev.vigil.it.harness.PrometheusText;
import dev.vigil.it.harness.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil.yaml edited while the shop runs: hooks are added, changed and removed; a broken file changes nothing. */
class BusinessMetricsReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static void write(Path file, String... lines) throws IOException {
        // Written beside and moved into place, as editors and ConfigMaps do, so a poll never sees half a file.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void hooksAreAddedChangedAndRemovedOnReloadAndABrokenFileKeepsThem() throws IOException {
        Path config = dir.resolve("vigil.yaml");
        write(
                config,
                "metrics:",
                "  - name: shop.discounts",
                "    type: counter",
                "    method: com.shop.Pricing#discount",
                "  - name: shop.orders",
                "    type: counter",
                "    method: com.shop.OrderService#placeOrder",
                "    tags: { region: arg0.region }");
        try (OtlpSink sink = OtlpSink.start();
                AgentApp app =
                        AgentApp.start("shop-service", sink, "config=" + config, "metrics.reload.interval=200ms")) {
            Http.status(app.url("/run?op=discount&percent=5&price=10"));
            Http.status(app.url("/run?op=order&region=eu&qty=1"));
            awaitValue(app, 1, "shop_discounts_total");
            awaitValue(app, 1, "shop_orders_total", "region", "eu");

            // remove shop.discounts, change shop.orders (a tag more), add shop.reservations
            write(
                    config,
                    "metrics:",
                    "  - name: shop.orders",
                    "    type: counter",
                    "    method: com.shop.OrderService#placeOrder",
                    "    tags: { region: arg0.region, outcome: outcome }",
                    "  - name: shop.reservations",
                    "    type: timer",
                    "    method: com.shop.Inventory#reserve");
            app.process()
                    .awaitLine(l -> l.contains("business metrics reloaded") && l.contains("added 2, removed 2"), WAIT);
            Http.status(app.url("/run?op=discount&percent=5&price=10"));
            Http.status(app.url("/run?op=order&region=eu&qty=1"));
            Http.status(app.url("/run?op=reserve&sku=R&qty=1"));
            awaitValue(app, 1, "shop_orders_total", "region", "eu", "outcome", "success");
            awaitValue(app, 1, "shop_reservations_seconds_count");
            String scrape = app.scrape();
            assertThat(PrometheusText.count(scrape, "shop_discounts_total"))
                    .as(scrape)
                    .isZero();
            assertThat(PrometheusText.count(scrape, "shop_orders_total"))
                    .as("the old series is gone")
                    .isEqualTo(1);

            // a broken file: reported with line and column, hooks in force stay
            write(
                    config,
                    "metrics:",
                    "  - name: shop.orders",
                    "    type: counter",
                    "    method: [com.shop.OrderService#placeOrder",
                    "  - name: shop.more");
            app.process().awaitLine(l -> l.matches(".*vigil\\.yaml:\\d+:\\d+: invalid YAML.*"), WAIT);
            app.process().awaitLine(l -> l.contains("nothing was changed, the 2 hooks in force stay"), WAIT);
            Http.status(app.url("/run?op=order&region=eu&qty=1"));
            awaitValue(app, 2, "shop_orders_total", "region", "eu", "outcome", "success");

            // a valid YAML file with an invalid entry is refused as a whole, with the entry's position
            write(
                    config,
                    "metrics:",
                    "  - name: shop.orders",
                    "    type: sum",
                    "    method: com.shop.OrderService#placeOrder");
            app.process().awaitLine(l -> l.contains("vigil.yaml:3:11: type 'sum' is not one of"), WAIT);
            Http.status(app.url("/run?op=reserve&sku=R&qty=1"));
            awaitValue(app, 2, "shop_reservations_seconds_count");
            assertThat(value(app, "vigil_agent_metric_reloads_total", "result", "failure"))
                    .isEqualTo(2);
            assertThat(value(app, "vigil_agent_metric_reloads_total", "result", "success"))
                    .isEqualTo(1);

            // fixed again: everything removed, the classes run their own code again
            write(config, "service.name: shop");
            app.process().awaitLine(l -> l.contains("business metrics reloaded") && l.contains("0 hooks"), WAIT);
            Http.status(app.url("/run?op=order&region=eu&qty=1"));
            Wait.until(
                    WAIT,
                    "shop_orders_total removed",
                    () -> PrometheusText.count(app.scrape(), "shop_orders_total") == 0);
            assertThat(value(app, "vigil_agent_instrumentation_errors_total")).isZero();
        }
    }

    private static double value(AgentApp app, String name, String... labels) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return PrometheusText.value(app.scrape(), name, m);
    }

    private static void awaitValue(AgentApp app, double expected, String name, String... labels) {
        Wait.until(
                WAIT,
                name + " = " + expected,
                () -> value(app, name, labels) == expected,
                () -> app.scrape() + "\n" + app.process().tail());
    }
}
