package dev.vigil.agent.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InAppPolicyTest {
    @Test
    void librariesTheAgentBundlesAreNotInAppEither() {
        // these prefixes come from a resource so that shading cannot rewrite them (see library-prefixes.txt)
        InAppPolicy inferred = InAppPolicy.inferred();
        for (String frame : List.of(
                "com.fasterxml.jackson.databind.ObjectMapper.readValue",
                "ch.qos.logback.classic.Logger.callAppenders",
                "org.slf4j.helpers.AbstractLogger.error",
                "io.micrometer.core.instrument.Timer.record",
                "io.opentelemetry.context.Context.wrap",
                "net.bytebuddy.asm.Advice.to",
                "org.yaml.snakeyaml.Yaml.load",
                "java.util.ArrayList.get",
                "org.springframework.web.servlet.DispatcherServlet.doDispatch")) {
            assertThat(inferred.isInApp(frame)).as(frame).isFalse();
        }
        assertThat(inferred.isInApp("com.shop.Checkout.pay")).isTrue();
        assertThat(inferred.isInApp("Main.main")).as("default package").isFalse();
    }

    @Test
    void configuredPackagesAreExactlyTheApplication() {
        InAppPolicy shop = InAppPolicy.packages(List.of("com.shop", " org.example.billing. ", ""));
        assertThat(shop.isInApp("com.shop.Checkout.pay")).isTrue();
        assertThat(shop.isInApp("org.example.billing.Invoice.total")).isTrue();
        assertThat(shop.isInApp("com.shopping.Cart.add")).isFalse();
        assertThat(InAppPolicy.packages(List.of(" "))).isSameAs(InAppPolicy.inferred());
    }
}
