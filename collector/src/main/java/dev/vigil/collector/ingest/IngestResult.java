package dev.vigil.collector.ingest;

import java.util.concurrent.CompletableFuture;

/**
 * What became of one export request.
 *
 * @param accepted items kept (spans, log records or data points)
 * @param rejected items refused (reported as OTLP partial success, never retried by the sender)
 * @param rejectionMessage why, for the partial success; empty when nothing was rejected
 * @param durable completes when what must survive a crash (error groups) is committed; fails when
 *     it could not be, and then the request must not be acknowledged
 */
public record IngestResult(long accepted, long rejected, String rejectionMessage, CompletableFuture<Void> durable) {}
