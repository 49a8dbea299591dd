package io.wasmesh.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.controlplane.store.ModuleStore;
import io.wasmesh.controlplane.store.Outcome;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantRecord.Quota;
import io.wasmesh.controlplane.store.TenantStore;
import io.wasmesh.controlplane.store.TokenStore;
import java.util.List;

/** The operator's tenant endpoints: create, read, change settings, delete. */
final class TenantApi {
    private final TenantStore tenants;
    private final ModuleStore modules;
    private final TokenStore tokens;

    record CreateTenant(String name, List<String> domains, JsonNode limits, Quota quota) {}

    record ChangeTenant(List<String> domains, JsonNode limits, Quota quota) {}

    TenantApi(TenantStore tenants, ModuleStore modules, TokenStore tokens) {
        this.tenants = tenants;
        this.modules = modules;
        this.tokens = tokens;
    }

    void mount(Router r) {
        r.post("/v1/tenants").handler(Blocking.handler(this::create, TenantApi::created));
        r.get("/v1/tenants")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    Access.operator(ctx);
                                    return () ->
                                            tenants.list().stream().map(Views::tenant).toList();
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
        r.get("/v1/tenants/:tenant").handler(Blocking.handler(this::read, TenantApi::ok));
        r.patch("/v1/tenants/:tenant").handler(Blocking.handler(this::change, TenantApi::ok));
        r.delete("/v1/tenants/:tenant")
                .handler(
                        Blocking.handler(
                                this::delete, (ctx, v) -> ctx.response().setStatusCode(204).end()));
    }

    private java.util.concurrent.Callable<TenantRecord> create(RoutingContext ctx) {
        Access.operator(ctx);
        CreateTenant req = ApiJson.read(ctx, CreateTenant.class);
        if (req.name() == null) {
            throw ApiProblem.invalid("name is required", List.of("name: required"));
        }
        Quota quota = quota(req.quota(), Quota.DEFAULT);
        return () -> {
            TenantConfig checked =
                    SettingsValidation.check(req.name(), req.domains(), req.limits());
            Outcome o =
                    tenants.create(
                            checked.name(),
                            checked.domains(),
                            checked.limits().toJson(),
                            quota,
                            RequestTelemetry.origin(ctx));
            switch (o.status()) {
                case DONE:
                    return tenants.get(checked.name());
                case TENANT_EXISTS:
                    throw ApiProblem.conflict(
                            "tenant-exists",
                            "tenant '" + checked.name() + "' already exists",
                            List.of());
                case DOMAIN_TAKEN:
                    throw domainsTaken(o);
                default:
                    throw new IllegalStateException("unexpected " + o);
            }
        };
    }

    private java.util.concurrent.Callable<TenantRecord> read(RoutingContext ctx) {
        String tenant = Access.tenant(ctx);
        return () -> Access.existing(tenants, tenant);
    }

    private java.util.concurrent.Callable<TenantRecord> change(RoutingContext ctx) {
        Access.operator(ctx);
        String tenant = ctx.pathParam("tenant");
        ChangeTenant req = ApiJson.read(ctx, ChangeTenant.class);
        long ifMatch = ETags.ifMatch(ctx.request().getHeader("if-match"));
        return () -> {
            TenantRecord current = Access.existing(tenants, tenant);
            TenantConfig checked =
                    SettingsValidation.check(
                            tenant,
                            req.domains() != null ? req.domains() : current.domains(),
                            req.limits() != null ? req.limits() : Views.json(current.limits()));
            Outcome o =
                    tenants.changeSettings(
                            tenant,
                            req.domains() == null ? null : checked.domains(),
                            req.limits() == null ? null : checked.limits().toJson(),
                            req.quota() == null ? null : quota(req.quota(), current.quota()),
                            ifMatch,
                            RequestTelemetry.origin(ctx));
            switch (o.status()) {
                case DONE:
                    return Access.existing(tenants, tenant);
                case STALE:
                    throw ApiProblem.stale(o.revision());
                case DOMAIN_TAKEN:
                    throw domainsTaken(o);
                case NO_TENANT:
                    throw Access.noTenant(tenant);
                default:
                    throw new IllegalStateException("unexpected " + o);
            }
        };
    }

    private java.util.concurrent.Callable<Boolean> delete(RoutingContext ctx) {
        Access.operator(ctx);
        String tenant = ctx.pathParam("tenant");
        return () -> {
            if (!tenants.delete(tenant)) {
                throw Access.noTenant(tenant);
            }
            modules.deleteAll(tenant);
            tokens.revokeAll(tenant);
            return true;
        };
    }

    private static Quota quota(Quota given, Quota base) {
        if (given == null) {
            return base;
        }
        if (given.moduleBytes() < 0 || given.modules() < 0) {
            throw ApiProblem.invalid(
                    "quota values must not be negative", List.of("quota: negative value"));
        }
        return new Quota(
                given.moduleBytes() > 0 ? given.moduleBytes() : base.moduleBytes(),
                given.modules() > 0 ? given.modules() : base.modules());
    }

    private static ApiProblem domainsTaken(Outcome o) {
        return ApiProblem.conflict(
                "domain-taken",
                "a domain belongs to another tenant",
                o.details().stream().map(d -> "domains: " + d + " is taken").toList());
    }

    private static void created(RoutingContext ctx, TenantRecord t) {
        ctx.response().putHeader("location", "/v1/tenants/" + t.name());
        ApiJson.respond(ctx, 201, Views.tenant(t));
    }

    private static void ok(RoutingContext ctx, TenantRecord t) {
        ctx.response().putHeader("etag", ETags.of(t.activeNumber()));
        ApiJson.respond(ctx, 200, Views.tenant(t));
    }
}
