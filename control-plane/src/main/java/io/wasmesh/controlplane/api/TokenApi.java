package io.wasmesh.controlplane.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.controlplane.auth.Role;
import io.wasmesh.controlplane.store.TenantStore;
import io.wasmesh.controlplane.store.TokenStore;
import io.wasmesh.controlplane.store.TokenStore.Issued;
import java.util.List;
import java.util.concurrent.Callable;

/** The operator's token endpoints. Secrets are returned once, at creation. */
final class TokenApi {
    private final TokenStore tokens;
    private final TenantStore tenants;

    record NewToken(String name, String role) {}

    TokenApi(TokenStore tokens, TenantStore tenants) {
        this.tokens = tokens;
        this.tenants = tenants;
    }

    /** Who the caller's token says it is. */
    record WhoAmI(String tokenId, String role, String tenant) {}

    void mount(Router r) {
        r.get("/v1/whoami")
                .handler(
                        ctx -> {
                            var p = Authentication.principal(ctx);
                            ApiJson.respond(
                                    ctx,
                                    200,
                                    new WhoAmI(p.tokenId(), p.role().label(), p.tenant()));
                        });
        r.post("/v1/tokens").handler(Blocking.handler(this::issueUnbound, TokenApi::issued));
        r.get("/v1/tokens")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    Access.operator(ctx);
                                    return () ->
                                            tokens.list(null).stream().map(Views::token).toList();
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
        r.post("/v1/tenants/:tenant/tokens")
                .handler(Blocking.handler(this::issueForTenant, TokenApi::issued));
        r.get("/v1/tenants/:tenant/tokens")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    Access.operator(ctx);
                                    String tenant = ctx.pathParam("tenant");
                                    return () -> {
                                        requireTenant(tenant);
                                        return tokens.list(tenant).stream()
                                                .map(Views::token)
                                                .toList();
                                    };
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
        r.delete("/v1/tenants/:tenant/tokens/:id").handler(revoke(true));
        r.delete("/v1/tokens/:id").handler(revoke(false));
    }

    private Callable<Issued> issueUnbound(RoutingContext ctx) {
        Access.operator(ctx);
        NewToken req = ApiJson.read(ctx, NewToken.class);
        Role role;
        try {
            role = Role.parse(String.valueOf(req.role()));
        } catch (IllegalArgumentException e) {
            role = null;
        }
        if (role == null || role == Role.TENANT) {
            throw ApiProblem.invalid(
                    "role must be operator or proxy (tenant tokens are made under"
                            + " /v1/tenants/{tenant}/tokens)",
                    List.of("role: must be operator or proxy"));
        }
        Role chosen = role;
        return () -> tokens.issue(chosen, null, req.name());
    }

    private Callable<Issued> issueForTenant(RoutingContext ctx) {
        Access.operator(ctx);
        String tenant = ctx.pathParam("tenant");
        NewToken req =
                ApiJson.noBody(ctx) ? new NewToken(null, null) : ApiJson.read(ctx, NewToken.class);
        if (req.role() != null && !req.role().equals(Role.TENANT.label())) {
            throw ApiProblem.invalid(
                    "a tenant's tokens have role tenant", List.of("role: must be tenant"));
        }
        return () -> {
            requireTenant(tenant);
            return tokens.issue(Role.TENANT, tenant, req.name());
        };
    }

    private io.vertx.core.Handler<RoutingContext> revoke(boolean underTenant) {
        return Blocking.handler(
                ctx -> {
                    Access.operator(ctx);
                    String tenant = underTenant ? ctx.pathParam("tenant") : null;
                    String id = ctx.pathParam("id");
                    return () -> {
                        if (!tokens.revoke(id, tenant)) {
                            throw ApiProblem.notFound("no token '" + id + "'");
                        }
                        return true;
                    };
                },
                (ctx, v) -> ctx.response().setStatusCode(204).end());
    }

    private void requireTenant(String tenant) {
        if (tenants.get(tenant) == null) {
            throw Access.noTenant(tenant);
        }
    }

    private static void issued(RoutingContext ctx, Issued i) {
        var r = i.record();
        ApiJson.respond(
                ctx,
                201,
                new Views.IssuedToken(r.id(), r.role(), r.tenant(), r.name(), i.secret()));
    }
}
