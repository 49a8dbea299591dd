package io.wasmesh.controlplane.api;

import io.vertx.ext.web.RoutingContext;
import io.wasmesh.controlplane.auth.Principal;
import io.wasmesh.controlplane.auth.Role;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantStore;

/**
 * Who may touch what. A tenant token naming another tenant gets the same 404 as a tenant that does
 * not exist, so it learns nothing; a token of the wrong role gets 403.
 */
final class Access {
    private Access() {}

    static Principal operator(RoutingContext ctx) {
        Principal p = Authentication.principal(ctx);
        if (p.role() != Role.OPERATOR) {
            throw forbidden("operator");
        }
        return p;
    }

    static Principal proxy(RoutingContext ctx) {
        Principal p = Authentication.principal(ctx);
        if (p.role() != Role.PROXY) {
            throw forbidden("proxy");
        }
        return p;
    }

    /** The tenant of the path, if the caller is its tenant token or an operator. */
    static String tenant(RoutingContext ctx) {
        Principal p = Authentication.principal(ctx);
        String tenant = ctx.pathParam("tenant");
        if (p.role() == Role.PROXY) {
            throw forbidden("tenant or operator");
        }
        if (!p.owns(tenant)) {
            throw noTenant(tenant);
        }
        return tenant;
    }

    /** The tenant's record; 404 when there is none. Blocking. */
    static TenantRecord existing(TenantStore tenants, String tenant) {
        TenantRecord t = tenants.get(tenant);
        if (t == null) {
            throw noTenant(tenant);
        }
        return t;
    }

    static ApiProblem noTenant(String tenant) {
        return ApiProblem.notFound("no tenant '" + tenant + "'");
    }

    private static ApiProblem forbidden(String wanted) {
        return new ApiProblem(
                403, "forbidden", "Forbidden", "this endpoint needs a token of role " + wanted);
    }
}
