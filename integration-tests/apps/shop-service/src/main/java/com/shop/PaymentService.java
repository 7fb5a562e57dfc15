package com.shop;

import java.math.BigDecimal;

/** Charges amounts; overloaded, so selectors with parameter types pick one. */
public class PaymentService {
    public String charge(BigDecimal amount, String currency) {
        return "charged " + amount + " " + currency;
    }

    public String charge(BigDecimal amount) {
        return charge(amount, "EUR");
    }

    public String charge(long cents) {
        return "charged " + cents + " cents";
    }
}
