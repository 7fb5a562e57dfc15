package dev.vigil.bench.shop;

/**
 * The measured business methods: the same small body, under different names so that each can be
 * hooked (or not) by benchmarks/business-metrics.yaml.
 */
public final class Orders {
    /** An order with a region, read by the tagged hook through its getter. */
    public static final class Order {
        private final String region;
        private final int quantity;

        public Order(String region, int quantity) {
            this.region = region;
            this.quantity = quantity;
        }

        public String getRegion() {
            return region;
        }

        public int getQuantity() {
            return quantity;
        }
    }

    private static int work(int quantity) {
        return quantity * 31 + 7;
    }

    /** Not hooked: the baseline. */
    public int placePlain(int quantity) {
        return work(quantity);
    }

    public int placeCounted(int quantity) {
        return work(quantity);
    }

    public int placeTimed(int quantity) {
        return work(quantity);
    }

    public int placeTagged(Order order) {
        return work(order.getQuantity());
    }
}
