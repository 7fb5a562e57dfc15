package dev.vigil.demo.shop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic for the demo: about {@code rate} requests per second, three in four orders and the
 * rest product listings, at most 32 in flight (excess is skipped, not queued, so a slow shop does
 * not build an ever-growing backlog). Prints a one-line summary every 10 s.
 */
final class LoadDriver {
    private static final String[] REGIONS = {"eu", "us", "apac"};

    private final URI shop;
    private final int rate;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Semaphore inFlight = new Semaphore(32);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    LoadDriver(URI shop, int rate) {
        this.shop = shop;
        this.rate = Math.max(1, rate);
    }

    void run() throws InterruptedException {
        long intervalNanos = 1_000_000_000L / rate;
        long next = System.nanoTime();
        long report = System.nanoTime() + 10_000_000_000L;
        while (!Thread.currentThread().isInterrupted()) {
            next += intervalNanos;
            send();
            long now = System.nanoTime();
            if (now >= report) {
                System.out.printf(
                        "load: ok=%d 4xx=%d 5xx=%d failed=%d skipped=%d%n",
                        ok.get(), clientErrors.get(), serverErrors.get(), failed.get(), skipped.get());
                report = now + 10_000_000_000L;
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
    }

    private void send() {
        if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HttpRequest request;
        if (random.nextInt(4) < 3) {
            String query = "product=" + (1 + random.nextInt(4)) + "&qty=" + (1 + random.nextInt(5)) + "&region="
                    + REGIONS[random.nextInt(REGIONS.length)];
            request = HttpRequest.newBuilder(shop.resolve("/orders?" + query))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
        } else {
            request = HttpRequest.newBuilder(shop.resolve("/products"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error != null) {
                failed.incrementAndGet();
            } else if (response.statusCode() >= 500) {
                serverErrors.incrementAndGet();
            } else if (response.statusCode() >= 400) {
                clientErrors.incrementAndGet();
            } else {
                ok.incrementAndGet();
            }
        });
    }
}
