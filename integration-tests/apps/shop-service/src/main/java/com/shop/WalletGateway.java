package com.shop;

import java.math.BigDecimal;

/** A second, unrelated implementation of the interface. */
final class WalletGateway implements PaymentGateway {
    @Override
    public String authorize(BigDecimal amount, String currency) {
        return "wallet-ok";
    }

    @Override
    public String name() {
        return "wallet";
    }
}
