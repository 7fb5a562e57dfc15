package dev.vigil.demo.shop;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The business method the demo's config-declared metrics hook: placing an order. */
public final class OrderService {
    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

    private final Inventory inventory;
    private final PaymentsClient payments;
    private final ExecutorService pool;

    OrderService(Inventory inventory, PaymentsClient payments, ExecutorService pool) {
        this.inventory = inventory;
        this.payments = payments;
        this.pool = pool;
    }

    /**
     * Looks the product up and checks the customer's region on the pool in parallel, charges the
     * payment, and records the order. Returns the order id.
     */
    public long placeOrder(Order order) throws Exception {
        if (Faults.on("burst-5xx")) {
            throw new IllegalStateException("order store is read-only (maintenance flag left on)");
        }
        CompletableFuture<Inventory.Product> product = CompletableFuture.supplyAsync(() -> lookup(order), pool);
        CompletableFuture<Boolean> region = CompletableFuture.supplyAsync(() -> shipsTo(order.region()), pool);
        Inventory.Product p;
        try {
            p = product.get();
            if (!region.get()) {
                throw new IllegalArgumentException("we do not ship to region '" + order.region() + "'");
            }
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
        if (p == null) {
            throw new IllegalArgumentException("no product " + order.productId());
        }
        BigDecimal total = Faults.on("new-bug")
                ? PriceRules.totalWithBundleDiscount(p.price, order.quantity())
                : p.price.multiply(BigDecimal.valueOf(order.quantity()));
        payments.charge(total, order.region());
        long id = inventory.recordOrder(order, total);
        LOG.debug("order {} placed: {} x {} for {}", id, order.quantity(), p.name, total);
        return id;
    }

    private Inventory.Product lookup(Order order) {
        try {
            return inventory.product(order.productId());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("inventory lookup failed", e);
        }
    }

    private static boolean shipsTo(String region) {
        return region != null && !region.equals("mars");
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Exception) {
            return (Exception) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new IllegalStateException(cause);
    }

    /** The code path the "new-bug" deploy ships. */
    static final class PriceRules {
        private PriceRules() {}

        /**
         * Every full bundle of three gets a third of a unit's price off. The discount is divided
         * without a rounding mode: prices not divisible by 3 throw ArithmeticException.
         */
        static BigDecimal totalWithBundleDiscount(BigDecimal price, int quantity) {
            BigDecimal gross = price.multiply(BigDecimal.valueOf(quantity));
            if (quantity < 3) {
                return gross;
            }
            BigDecimal thirdOfUnit = price.divide(BigDecimal.valueOf(3)); // the bug: no MathContext
            BigDecimal discount = thirdOfUnit.multiply(BigDecimal.valueOf(quantity / 3));
            return gross.subtract(discount).setScale(2, RoundingMode.HALF_UP);
        }
    }
}
