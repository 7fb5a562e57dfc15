package com.shop;

/** Static helpers. */
public final class Pricing {
    private Pricing() {}

    public static double discount(int percent, double price) {
        return price * (100 - percent) / 100.0;
    }

    /** Recursive: the depth of a category tree. */
    public static int depth(int levels) {
        return levels <= 0 ? 0 : 1 + depth(levels - 1);
    }
}
