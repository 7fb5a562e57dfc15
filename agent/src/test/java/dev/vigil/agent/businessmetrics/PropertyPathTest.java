package dev.vigil.agent.businessmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyPathTest {
    public static final class Customer {
        public final String tier = "gold";
        private final String region;

        Customer(String region) {
            this.region = region;
        }

        public String getRegion() {
            return region;
        }

        public boolean isVip() {
            return true;
        }

        public String getFailing() {
            throw new IllegalStateException("getter failed");
        }

        public String delete() {
            throw new AssertionError("a path must never call a method that is not a getter");
        }
    }

    public static final class Order {
        public Customer getCustomer() {
            return new Customer("eu");
        }

        public List<BigDecimal> getPrices() {
            return Arrays.asList(new BigDecimal("9.5"), new BigDecimal("3"));
        }

        public Map<String, Object> getAttributes() {
            return Map.of("channel", "web", "size", 42);
        }

        public int[] getQuantities() {
            return new int[] {1, 2};
        }

        public Customer getNobody() {
            return null;
        }
    }

    public record Line(String sku, int quantity) {}

    /** A package-private class whose public getter comes from a public interface. */
    interface Named {
        String getName();
    }

    static final class Hidden implements Named {
        @Override
        public String getName() {
            return "hidden";
        }
    }

    private static Object eval(String path, Object... args) {
        return PropertyPath.parse(path).evaluate(args, "returned");
    }

    @Test
    void followsGettersFieldsBooleansAndNesting() {
        Order order = new Order();
        assertThat(eval("arg0.customer.region", order)).isEqualTo("eu");
        assertThat(eval("arg0.customer.tier", order)).isEqualTo("gold");
        assertThat(eval("arg0.customer.vip", order)).isEqualTo(true);
        assertThat(eval("arg1", order, 7)).isEqualTo(7);
    }

    @Test
    void readsListsArraysMapsAndSizes() {
        Order order = new Order();
        assertThat(eval("arg0.prices[1]", order)).isEqualTo(new BigDecimal("3"));
        assertThat(eval("arg0.quantities[0]", order)).isEqualTo(1);
        assertThat(eval("arg0.quantities.length", order)).isEqualTo(2);
        assertThat(eval("arg0.prices.size", order)).isEqualTo(2);
        assertThat(eval("arg0.attributes.channel", order)).isEqualTo("web");
        assertThat(eval("arg0.attributes['channel']", order)).isEqualTo("web");
        assertThat(eval("arg0.attributes.size", order))
                .as("a map key named size wins over the map's size")
                .isEqualTo(42);
        assertThat(eval("arg0['k']", Collections.singletonMap("k", "v"))).isEqualTo("v");
    }

    @Test
    void readsRecordComponentsAndReturnValue() {
        assertThat(eval("arg0.sku", new Line("A-1", 3))).isEqualTo("A-1");
        assertThat(eval("arg0.quantity", new Line("A-1", 3))).isEqualTo(3);
        assertThat(PropertyPath.parse("return.length").evaluate(new Object[0], "abc"))
                .isEqualTo(3);
    }

    @Test
    void publicGetterOfAPackagePrivateClassIsReadThroughItsInterface() {
        assertThat(eval("arg0.name", new Hidden())).isEqualTo("hidden");
    }

    @Test
    void nullAndUnresolvedAreDistinctAndNeverThrow() {
        Order order = new Order();
        assertThat(eval("arg0.nobody", order)).isNull();
        assertThat(eval("arg0.nobody.region", order)).isNull();
        assertThat(eval("arg0.missing", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.customer.failing", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.prices[5]", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.customer[0]", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.customer['x']", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg3", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.attributes.nope", order)).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(PropertyPath.parse("arg0").evaluate(null, null)).isSameAs(PropertyPath.UNRESOLVED);
    }

    @Test
    void neverCallsMethodsThatAreNotGetters() {
        assertThat(eval("arg0.delete", new Customer("eu"))).isSameAs(PropertyPath.UNRESOLVED);
        assertThat(eval("arg0.class", new Customer("eu")))
                .as("getClass is a getter, but a Class is harmless to read")
                .isEqualTo(Customer.class);
    }

    @Test
    void malformedPathsSayWhereTheyAreWrong() {
        assertThatThrownBy(() -> PropertyPath.parse("order.id")).hasMessageContaining("must start with argN");
        assertThatThrownBy(() -> PropertyPath.parse("arg0.")).hasMessageContaining("position 6");
        assertThatThrownBy(() -> PropertyPath.parse("arg0[1")).hasMessageContaining("is not closed");
        assertThatThrownBy(() -> PropertyPath.parse("arg0[x]")).hasMessageContaining("quoted key");
        assertThatThrownBy(() -> PropertyPath.parse("arg0.a()")).hasMessageContaining("unexpected '('");
        assertThatThrownBy(() -> PropertyPath.parse("arg0.a + 1")).hasMessageContaining("unexpected ' '");
    }
}
