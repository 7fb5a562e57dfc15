package dev.vigil.collector.config;

import dev.vigil.collector.store.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The collector's validated settings (docs/configuration.md, "The collector"). Built by
 * {@link ConfigLoader}; sections owned by features are read by the features themselves from
 * {@link #root()}.
 */
public record CollectorConfig(
        Path source,
        Path dataDir,
        Otlp otlp,
        Http http,
        Store store,
        Metrics metrics,
        Errors errors,
        Instances instances,
        Log log,
        ConfigNode root) {

    /** PEM certificate chain and private key (PKCS#8); both null when TLS is off. */
    public record Tls(Path cert, Path key) {
        public boolean enabled() {
            return cert != null;
        }
    }

    public record Otlp(
            String host,
            int port,
            List<String> tokens,
            boolean allowUnauthenticated,
            long maxRequestBytes,
            long maxDecompressedBytes,
            long maxInFlightBytes,
            Duration retryAfter,
            Tls tls) {}

    public record Http(
            String host,
            int port,
            String publicUrl,
            List<String> apiTokens,
            List<String> adminTokens,
            boolean allowUnauthenticated,
            Tls tls) {}

    public record Store(Synchronous synchronous) {}

    public record Metrics(Duration retention, int maxSeries) {}

    public record Errors(
            int maxGroups,
            Duration newPeriod,
            Duration resolveAfter,
            Duration countRetention,
            List<String> inAppPackages,
            int queueCapacity) {}

    public record Instances(Duration silentAfter, Duration forgetAfter) {}

    public record Log(String level, String format) {}
}
