package com.shop;

import io.micrometer.core.annotation.Counted;
import io.micrometer.core.annotation.Timed;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/** Annotated as a Spring service would be, but with no AOP: only the agent can honour these. */
public class CheckoutService {
    @Timed(
            value = "shop.checkout",
            extraTags = {"flow", "web"})
    public String checkout(String cart) {
        if (cart.isEmpty()) {
            throw new IllegalArgumentException("empty cart");
        }
        return "checked out " + cart;
    }

    @Counted("shop.refunds")
    public void refund(String orderId) {
        if (orderId.startsWith("x")) {
            throw new IllegalStateException("unknown order " + orderId);
        }
    }

    @WithSpan("ship")
    public String ship(@SpanAttribute("shop.sku") String sku, @SpanAttribute("shop.quantity") long quantity) {
        if (sku.isEmpty()) {
            throw new IllegalArgumentException("no sku");
        }
        return "shipped " + quantity + " x " + sku;
    }
}
