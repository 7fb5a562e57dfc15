package com.shop;

import java.math.BigDecimal;

/** Payment providers; the shop picks one per order. */
public interface PaymentGateway {
    String authorize(BigDecimal amount, String currency);

    String name();
}
