package io.wasmesh.controlplane.api;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.controlplane.auth.Principal;
import io.wasmesh.controlplane.auth.RateLimiter;
import io.wasmesh.controlplane.auth.TokenRecord;
import io.wasmesh.controlplane.auth.Tokens;
import io.wasmesh.controlplane.store.StoredJson;
import java.util.List;
import java.util.Map;

/**
 * Finds the caller from its bearer token (a near-cached map lookup, without blocking the event
 * loop), then spends one unit of its rate.
 */
final class Authentication implements Handler<RoutingContext> {
    private static final String PRINCIPAL = "wasmesh.principal";
    private final IMap<String, byte[]> tokens;
    private final RateLimiter limiter;

    Authentication(IMap<String, byte[]> tokens, RateLimiter limiter) {
        this.tokens = tokens;
        this.limiter = limiter;
    }

    static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.fail(unauthorized("a bearer token is required"));
            return;
        }
        String hash = Tokens.hash(header.substring(7).trim());
        ctx.request().pause();
        Future.fromCompletionStage(tokens.getAsync(hash), ctx.vertx().getOrCreateContext())
                .onComplete(
                        ar -> {
                            ctx.request().resume();
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                                return;
                            }
                            if (ar.result() == null) {
                                ctx.fail(unauthorized("unknown or revoked token"));
                                return;
                            }
                            TokenRecord r = StoredJson.read(ar.result(), TokenRecord.class);
                            long wait = limiter.acquire(hash);
                            if (wait > 0) {
                                ctx.fail(
                                        new ApiProblem(
                                                429,
                                                "rate-limited",
                                                "Too many requests",
                                                "this token's request rate is exceeded",
                                                List.of(),
                                                Map.of("Retry-After", Long.toString(wait))));
                                return;
                            }
                            ctx.put(PRINCIPAL, r.principal());
                            ctx.next();
                        });
    }

    private static ApiProblem unauthorized(String detail) {
        return new ApiProblem(
                401,
                "unauthorized",
                "Unauthorized",
                detail,
                List.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"wasmesh\""));
    }
}
