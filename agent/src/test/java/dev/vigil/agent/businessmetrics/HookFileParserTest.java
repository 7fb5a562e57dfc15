package dev.vigil.agent.businessmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookFileParserTest {
    private static HookFileParser.Result parse(String yaml) {
        return HookFileParser.parse("vigil.yaml", yaml);
    }

    @Test
    void readsTheIssueExample() {
        HookFileParser.Result r = parse("service.name: shop\n"
                + "metrics:\n"
                + "  - name: orders.placed\n"
                + "    type: counter\n"
                + "    method: com.shop.OrderService#placeOrder\n"
                + "    tags: { region: \"arg0.region\", outcome: outcome }\n"
                + "  - name: payment.amount\n"
                + "    type: distribution\n"
                + "    method: com.shop.PaymentService#charge(java.math.BigDecimal,*)\n"
                + "    value: arg0\n"
                + "    unit: euros\n"
                + "    buckets: [10, 100, 1000]\n");
        assertThat(r.errors).isEmpty();
        assertThat(r.hooks).hasSize(2);
        HookSpec orders = r.hooks.get(0);
        assertThat(orders.kind()).isEqualTo(MeterKind.COUNTER);
        assertThat(orders.tags()).containsOnlyKeys("region", "outcome");
        assertThat(orders.location()).isEqualTo("vigil.yaml:3");
        assertThat(orders.readsCallValues()).isTrue();
        HookSpec amount = r.hooks.get(1);
        assertThat(amount.value().toString()).isEqualTo("arg0");
        assertThat(amount.unit()).isEqualTo("euros");
        assertThat(amount.buckets()).containsExactly(10, 100, 1000);
    }

    @Test
    void acceptsHooksUnderMetricsHooksBesideOtherMetricsSettings() {
        HookFileParser.Result r = parse(
                "metrics:\n" + "  port: 9464\n" + "  hooks:\n" + "    - {name: a, type: timer, method: 'x.Y#z'}\n");
        assertThat(r.errors).isEmpty();
        assertThat(r.hooks).singleElement().satisfies(h -> assertThat(h.readsCallValues())
                .isFalse());
    }

    @Test
    void noSectionMeansNoHooks() {
        assertThat(parse("service.name: shop\n").hooks).isEmpty();
        assertThat(parse("").hooks).isEmpty();
    }

    @Test
    void malformedYamlIsUnreadableWithLineAndColumn() {
        HookFileParser.Result r = parse("metrics:\n  - name: a\n    type: [counter\n");
        assertThat(r.unreadable).isTrue();
        assertThat(r.errors).singleElement().asString().matches("vigil\\.yaml:\\d+:\\d+: invalid YAML: .*");
    }

    @Test
    void sectionThatIsNotAListIsUnreadable() {
        HookFileParser.Result r = parse("metrics: counter\n");
        assertThat(r.unreadable).isTrue();
        assertThat(r.errors).singleElement().asString().startsWith("vigil.yaml:1:10: ");
    }

    @Test
    void badEntriesAreReportedWhereTheyAreAndSkipped() {
        HookFileParser.Result r = parse("metrics:\n"
                + "  - name: good\n"
                + "    type: counter\n"
                + "    method: x.Y#z\n"
                + "  - name: bad.type\n"
                + "    type: histogram\n"
                + "    method: x.Y#z\n"
                + "  - name: bad.method\n"
                + "    type: counter\n"
                + "    method: x.Y.z\n"
                + "  - name: no.value\n"
                + "    type: gauge\n"
                + "    method: x.Y#z\n"
                + "  - name: bad.path\n"
                + "    type: counter\n"
                + "    method: x.Y#z\n"
                + "    tags: {region: 'arg0.region()'}\n"
                + "  - name: typo\n"
                + "    type: counter\n"
                + "    methd: x.Y#z\n"
                + "  - name: timer.value\n"
                + "    type: timer\n"
                + "    method: x.Y#z\n"
                + "    value: arg0\n"
                + "  - name: vigil.mine\n"
                + "    type: counter\n"
                + "    method: x.Y#z\n"
                + "  - name: svc\n"
                + "    type: counter\n"
                + "    method: x.Y#z\n"
                + "    tags: {service: outcome}\n");
        assertThat(r.unreadable).isFalse();
        assertThat(r.hooks).extracting(HookSpec::name).containsExactly("good");
        assertThat(r.errors)
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:6:11: ").contains("'histogram' is not one of"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:10:13: ").contains("needs a '#'"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:11:5: ").contains("a gauge needs a value"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:17:20: ").contains("unexpected '('"))
                .anySatisfy(e -> assertThat(e)
                        .startsWith("vigil.yaml:20:5: ")
                        .contains("unknown key 'methd'")
                        .contains("did you mean method?"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:24:12: ").contains("takes no value"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:25:11: ").contains("reserved"))
                .anySatisfy(e -> assertThat(e).startsWith("vigil.yaml:31:12: ").contains("'service' is reserved"));
    }

    @Test
    void oneMetricDeclaredTwiceMustBeDeclaredTheSameWay() {
        HookFileParser.Result r = parse("metrics:\n"
                + "  - {name: orders, type: counter, method: 'x.A#place', tags: {outcome: outcome}}\n"
                + "  - {name: orders, type: counter, method: 'x.B#place', tags: {outcome: outcome}}\n"
                + "  - {name: orders, type: counter, method: 'x.C#place', tags: {region: arg0}}\n");
        assertThat(r.hooks).hasSize(2);
        assertThat(r.errors)
                .singleElement()
                .asString()
                .startsWith("vigil.yaml:4:5: ")
                .contains("vigil.yaml:2");
    }

    @Test
    void equalSpecsAreEqualWhereverTheyAreWritten() {
        HookSpec a = parse("metrics:\n  - {name: a, type: counter, method: 'x.Y#z'}\n")
                .hooks
                .get(0);
        HookSpec b = parse("\n\nmetrics:\n  - name: a\n    type: counter\n    method: x.Y#z\n")
                .hooks
                .get(0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.location()).isNotEqualTo(b.location());
    }
}
