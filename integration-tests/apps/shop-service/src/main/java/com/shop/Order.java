package com.shop;

import java.math.BigDecimal;
import java.util.Map;

/** An order as the shop's code sees it: getters, a public field, a map and a nullable coupon. */
public final class Order {
    public final String channel;
    private final String region;
    private final String sku;
    private final int quantity;
    private final BigDecimal total;
    private final Coupon coupon;
    private final Map<String, String> attributes;

    public Order(String channel, String region, String sku, int quantity, BigDecimal total, Coupon coupon) {
        this.channel = channel;
        this.region = region;
        this.sku = sku;
        this.quantity = quantity;
        this.total = total;
        this.coupon = coupon;
        this.attributes = Map.of("tier", quantity > 10 ? "bulk" : "retail");
    }

    public String getRegion() {
        return region;
    }

    public String getSku() {
        return sku;
    }

    public int getQuantity() {
        return quantity;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public Coupon getCoupon() {
        return coupon;
    }

    public Map<String, String> getAttributes() {
        return attributes;
    }

    /** A discount code. */
    public static final class Coupon {
        private final String code;

        public Coupon(String code) {
            this.code = code;
        }

        public String getCode() {
            return code;
        }
    }
}
