package dev.vigil.demo.shop;

/**
 * An order as the API receives it. Getters so that business metrics can read tags from it with
 * property paths such as {@code arg0.region}.
 */
public final class Order {
    private final int productId;
    private final int quantity;
    private final String region;

    Order(int productId, int quantity, String region) {
        this.productId = productId;
        this.quantity = quantity;
        this.region = region;
    }

    public int productId() {
        return productId;
    }

    public int quantity() {
        return quantity;
    }

    public String getRegion() {
        return region;
    }

    String region() {
        return region;
    }
}
