package com.shop;

/** A payment the provider refused. */
public final class PaymentDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PaymentDeclinedException(String message) {
        super(message);
    }
}
