import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends GET requests to one URL at a fixed rate for benchmarks/alert-latency.sh, run with the JDK's
 * source launcher: {@code java SteadyLoad.java <url> <requests per second>}. Requests are sent
 * asynchronously on a fixed schedule, so a slow or failed answer never shifts the rate. Prints
 * {@code FIRST <epoch ms>} just before the first request leaves, and at exit (SIGTERM)
 * {@code LAST <epoch ms> sent=… ok=… http_errors=… no_answer=…}, the time of the last request sent.
 */
public final class SteadyLoad {
    public static void main(String[] args) {
        URI uri = URI.create(args[0]);
        long periodMicros = 1_000_000L / Integer.parseInt(args[1]);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        AtomicLong sent = new AtomicLong();
        AtomicLong lastSent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong httpErrors = new AtomicLong();
        AtomicLong noAnswer = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.shutdownNow();
            System.out.printf(
                    "LAST %d sent=%d ok=%d http_errors=%d no_answer=%d%n",
                    lastSent.get(), sent.get(), ok.get(), httpErrors.get(), noAnswer.get());
            System.out.flush();
        }));
        timer.scheduleAtFixedRate(
                () -> {
                    long now = System.currentTimeMillis();
                    if (sent.getAndIncrement() == 0) {
                        // the benchmark's T0 when this is the failing load: printed before the request leaves
                        System.out.println("FIRST " + now);
                        System.out.flush();
                    }
                    lastSent.set(now);
                    client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .whenComplete((response, failure) -> {
                                if (failure != null) {
                                    noAnswer.incrementAndGet(); // /fail: the JDK server drops the connection
                                } else if (response.statusCode() < 400) {
                                    ok.incrementAndGet();
                                } else {
                                    httpErrors.incrementAndGet();
                                }
                            });
                },
                0,
                periodMicros,
                TimeUnit.MICROSECONDS);
    }
}
