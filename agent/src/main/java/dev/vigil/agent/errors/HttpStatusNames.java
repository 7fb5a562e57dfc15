package dev.vigil.agent.errors;

import java.util.HashMap;
import java.util.Map;

/**
 * Statuses by the names client libraries give their per-status exception classes
 * ({@code HttpClientErrorException$NotFound}, {@code FeignException$TooManyRequests}).
 */
final class HttpStatusNames {
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        put(400, "BadRequest");
        put(401, "Unauthorized");
        put(403, "Forbidden");
        put(404, "NotFound");
        put(405, "MethodNotAllowed");
        put(406, "NotAcceptable");
        put(409, "Conflict");
        put(410, "Gone");
        put(415, "UnsupportedMediaType");
        put(422, "UnprocessableEntity");
        put(429, "TooManyRequests");
        put(500, "InternalServerError");
        put(501, "NotImplemented");
        put(502, "BadGateway");
        put(503, "ServiceUnavailable");
        put(504, "GatewayTimeout");
    }

    private HttpStatusNames() {}

    private static void put(int status, String name) {
        BY_NAME.put(name, status);
    }

    /** The status of a nested class name such as {@code NotFound}, or 0. */
    static int status(String simpleName) {
        Integer s = BY_NAME.get(simpleName);
        return s == null ? 0 : s;
    }
}
