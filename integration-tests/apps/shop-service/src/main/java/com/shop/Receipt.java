package com.shop;

import java.util.List;

/** What placing an order returns. */
public final class Receipt {
    private final String status;
    private final List<String> lines;

    public Receipt(String status, List<String> lines) {
        this.status = status;
        this.lines = lines;
    }

    public String getStatus() {
        return status;
    }

    public List<String> getLines() {
        return lines;
    }
}
