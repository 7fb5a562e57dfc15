package com.shop;

import io.micrometer.core.annotation.Counted;
import io.micrometer.core.annotation.Timed;

/** @Timed on the class times every public method; @Counted(recordFailuresOnly) counts only failures. */
@Timed("shop.catalog")
public class Catalog {
    public int size() {
        return 42;
    }

    @Counted(value = "shop.lookup.failures", recordFailuresOnly = true)
    public String lookup(String sku) {
        if (sku.isEmpty()) {
            throw new IllegalArgumentException("no sku");
        }
        return "item " + sku;
    }
}
