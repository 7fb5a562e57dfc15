package com.shop;

import java.math.BigDecimal;

/** Cards: declines amounts above 1000. */
public class CardGateway implements PaymentGateway {
    @Override
    public String authorize(BigDecimal amount, String currency) {
        if (amount.compareTo(new BigDecimal("1000")) > 0) {
            throw new PaymentDeclinedException("card limit exceeded");
        }
        return "card-ok";
    }

    @Override
    public String name() {
        return "card";
    }
}
