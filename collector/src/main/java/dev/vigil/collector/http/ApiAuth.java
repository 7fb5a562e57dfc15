package dev.vigil.collector.http;

import dev.vigil.collector.ingest.Tokens;
import java.util.List;

/** Which bearer tokens open which {@link Access}: admin tokens open everything, API tokens READ. */
final class ApiAuth {
    private final Tokens read;
    private final Tokens admin;
    private final boolean allowUnauthenticated;

    ApiAuth(List<String> apiTokens, List<String> adminTokens, boolean allowUnauthenticated) {
        this.read = new Tokens(apiTokens);
        this.admin = new Tokens(adminTokens);
        this.allowUnauthenticated = allowUnauthenticated;
    }

    boolean allows(Access access, String authorization) {
        if (access == Access.PUBLIC || allowUnauthenticated) {
            return true;
        }
        if (admin.accepts(authorization)) {
            return true;
        }
        return access == Access.READ && read.accepts(authorization);
    }
}
