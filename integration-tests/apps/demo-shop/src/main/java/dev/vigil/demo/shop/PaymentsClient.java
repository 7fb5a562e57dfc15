package dev.vigil.demo.shop;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the payments service over the JDK HttpClient. */
public final class PaymentsClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI charge;

    PaymentsClient(URI base) {
        this.charge = base.resolve("/charge");
    }

    /** Charges {@code amount}; fails with the payments service's status when it refuses. */
    public void charge(BigDecimal amount, String region) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(charge)
                .timeout(Duration.ofSeconds(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"amount\":" + amount.toPlainString() + ",\"region\":\"" + region + "\"}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new PaymentDeclinedException(response.statusCode(), response.body());
        }
    }

    /** The payments service answered, but not with success. */
    static final class PaymentDeclinedException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        PaymentDeclinedException(int status, String body) {
            super("payments answered " + status + ": " + body);
            this.status = status;
        }
    }
}
