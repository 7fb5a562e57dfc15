package dev.vigil.agent.businessmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class MethodSelectorTest {
    interface Gateway {
        String charge(BigDecimal amount, String currency);
    }

    abstract static class BaseGateway implements Gateway {
        abstract void refund(long id);
    }

    static final class CardGateway extends BaseGateway {
        @Override
        public String charge(BigDecimal amount, String currency) {
            return "ok";
        }

        public String charge(BigDecimal amount) {
            return "ok";
        }

        public String charge(BigDecimal amount, String currency, Map<String, String> meta) {
            return "ok";
        }

        @Override
        void refund(long id) {}

        static int audit(int[] ids, List<String> notes) {
            return 0;
        }
    }

    private static final TypeDescription CARD = TypeDescription.ForLoadedType.of(CardGateway.class);
    private static final TypeDescription BASE = TypeDescription.ForLoadedType.of(BaseGateway.class);
    private static final TypeDescription GATEWAY = TypeDescription.ForLoadedType.of(Gateway.class);

    private static long matching(String selector, TypeDescription type) {
        MethodSelector s = MethodSelector.parse(selector);
        return type.getDeclaredMethods().filter(s.methodMatcher()).size();
    }

    @Test
    void exactClassMatchesOnlyThatClass() {
        MethodSelector s = MethodSelector.parse(CardGateway.class.getName() + "#charge");
        assertThat(s.typeMatcher().matches(CARD)).isTrue();
        assertThat(s.typeMatcher().matches(BASE)).isFalse();
        assertThat(s.exactClassName()).isEqualTo(CardGateway.class.getName());
    }

    @Test
    void withoutParametersEveryOverloadMatches() {
        assertThat(matching(CardGateway.class.getName() + "#charge", CARD)).isEqualTo(3);
    }

    @Test
    void parameterTypesSelectOneOverload() {
        assertThat(matching("x.Y#charge(java.math.BigDecimal,*)", CARD)).isEqualTo(1);
        assertThat(matching("x.Y#charge(BigDecimal)", CARD)).isEqualTo(1);
        assertThat(matching("x.Y#charge(java.math.BigDecimal,..)", CARD)).isEqualTo(3);
        assertThat(matching("x.Y#charge(*,String,java.util.Map)", CARD)).isEqualTo(1);
        assertThat(matching("x.Y#charge()", CARD)).isZero();
    }

    @Test
    void primitiveAndArrayParametersAndStaticMethods() {
        assertThat(matching("x.Y#audit(int[],java.util.List)", CARD)).isEqualTo(1);
        assertThat(matching("x.Y#refund(long)", CARD)).isEqualTo(1);
        assertThat(matching("x.Y#refund(int)", CARD)).isZero();
    }

    @Test
    void methodWildcard() {
        assertThat(matching("x.Y#ch*", CARD)).isEqualTo(3);
        assertThat(matching("x.Y#*", CARD)).isEqualTo(5);
    }

    @Test
    void abstractMethodsAreNeverSelected() {
        assertThat(matching("x.Y#refund", BASE)).isZero();
        assertThat(matching("x.Y#charge", GATEWAY)).isZero();
    }

    @Test
    void plusSelectsSubclassesAndImplementations() {
        MethodSelector s = MethodSelector.parse(Gateway.class.getName() + "+#charge");
        assertThat(s.typeMatcher().matches(CARD)).isTrue();
        assertThat(s.typeMatcher().matches(BASE)).isTrue();
        assertThat(s.typeMatcher().matches(TypeDescription.ForLoadedType.of(String.class)))
                .isFalse();
        assertThat(s.includesSubtypes()).isTrue();
    }

    @Test
    void classWildcards() {
        String pkg = MethodSelectorTest.class.getPackage().getName();
        assertThat(MethodSelector.parse(pkg + ".*#x").typeMatcher().matches(CARD))
                .as("a nested class name has no dot after the package")
                .isTrue();
        assertThat(MethodSelector.parse("dev.vigil.*#x").typeMatcher().matches(CARD))
                .as("* does not cross a dot")
                .isFalse();
        assertThat(MethodSelector.parse("dev.vigil.**#x").typeMatcher().matches(CARD))
                .isTrue();
        assertThat(MethodSelector.parse("dev.vigil.**Gateway#x").exactClassName())
                .isNull();
    }

    @Test
    void constructorsAreNeverSelected() {
        MethodSelector s = MethodSelector.parse("x.Y#*");
        for (MethodDescription m : CARD.getDeclaredMethods()) {
            if (m.isConstructor()) {
                assertThat(s.methodMatcher().matches(m)).isFalse();
            }
        }
    }

    @Test
    void malformedSelectorsSayWhatIsWrong() {
        assertThatThrownBy(() -> MethodSelector.parse("com.shop.OrderService.placeOrder"))
                .hasMessageContaining("needs a '#'");
        assertThatThrownBy(() -> MethodSelector.parse("#placeOrder")).hasMessageContaining("class pattern");
        assertThatThrownBy(() -> MethodSelector.parse("com.shop.X#")).hasMessageContaining("method name");
        assertThatThrownBy(() -> MethodSelector.parse("com.shop.X#a(int")).hasMessageContaining("must end with ')'");
        assertThatThrownBy(() -> MethodSelector.parse("com.shop.X#a(..,int)"))
                .hasMessageContaining("'..' must be the last");
        assertThatThrownBy(() -> MethodSelector.parse("com.shop.X#a(int x)")).hasMessageContaining("parameter 1");
        assertThatThrownBy(() -> MethodSelector.parse("com.shop X#a")).hasMessageContaining("class pattern");
    }
}
