package com.shop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stock per SKU; reserving returns what is left. */
public final class Inventory {
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    public int reserve(String sku, int quantity) {
        return stock.merge(sku, 100 - quantity, (old, ignored) -> old - quantity);
    }
}
