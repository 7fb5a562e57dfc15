package dev.vigil.collector.http;

/**
 * Answers one route. Runs on the API worker threads (never on a Netty event loop), so it may read
 * the database. An exception becomes a 500 with a JSON error, and is logged.
 */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
