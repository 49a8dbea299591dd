package io.wasmesh.controlplane.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wasmesh.controlplane.modules.ModuleValidator;
import io.wasmesh.controlplane.store.ContentKeys;
import io.wasmesh.controlplane.store.ModuleStore;
import io.wasmesh.controlplane.store.Outcome;
import io.wasmesh.controlplane.store.TenantRecord.ModuleInfo;
import io.wasmesh.controlplane.store.TenantStore;
import io.wasmesh.wasm.admission.ModuleAdmission;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** A tenant's modules: upload (validated), list, read, download, delete. */
final class ModuleApi {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final ModuleStore modules;
    private final TenantStore tenants;
    private final ModuleValidator validator;
    private final int maxModuleBytes;
    private final Clock clock;

    record Uploaded(ModuleInfo module, boolean created) {}

    ModuleApi(
            ModuleStore modules,
            TenantStore tenants,
            ModuleValidator validator,
            int maxModuleBytes,
            Clock clock) {
        this.modules = modules;
        this.tenants = tenants;
        this.validator = validator;
        this.maxModuleBytes = maxModuleBytes;
        this.clock = clock;
    }

    void mount(Router r) {
        r.post("/v1/tenants/:tenant/modules")
                .handler(BodyHandler.create().setBodyLimit(maxModuleBytes))
                .handler(Blocking.handler(this::upload, ModuleApi::uploaded));
        r.get("/v1/tenants/:tenant/modules")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    String tenant = Access.tenant(ctx);
                                    return () ->
                                            List.copyOf(
                                                    Access.existing(tenants, tenant)
                                                            .modules()
                                                            .values());
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
        r.get("/v1/tenants/:tenant/modules/:sha256")
                .handler(Blocking.handler(this::readOne, ModuleApi::one));
        r.delete("/v1/tenants/:tenant/modules/:sha256")
                .handler(
                        Blocking.handler(
                                this::delete, (ctx, v) -> ctx.response().setStatusCode(204).end()));
    }

    private Callable<Uploaded> upload(RoutingContext ctx) {
        String tenant = Access.tenant(ctx);
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiProblem.badRequest("the request body must be the module's bytes");
        }
        String expected = ctx.queryParams().get("sha256");
        String name = ctx.queryParams().get("name");
        byte[] bytes = body.getBytes();
        return () -> {
            String actual = ContentKeys.sha256(bytes);
            if (expected != null && !expected.toLowerCase(Locale.ROOT).equals(actual)) {
                throw new ApiProblem(
                        422,
                        "digest-mismatch",
                        "Digest mismatch",
                        "the body's sha256 is " + actual + ", not " + expected,
                        List.of(),
                        java.util.Map.of());
            }
            ModuleAdmission.Verdict verdict;
            try {
                verdict = validator.validate(bytes);
            } catch (ModuleRejectedException e) {
                throw new ApiProblem(
                        422,
                        "invalid-module",
                        "Invalid module",
                        e.getMessage(),
                        List.of(),
                        java.util.Map.of());
            }
            ModuleInfo info =
                    new ModuleInfo(
                            actual,
                            bytes.length,
                            verdict.kind().label(),
                            name,
                            clock.instant().toString());
            Outcome o = modules.put(tenant, info, bytes);
            switch (o.status()) {
                case DONE:
                    return new Uploaded(info, true);
                case UNCHANGED:
                    return new Uploaded(
                            Access.existing(tenants, tenant).modules().get(actual), false);
                case QUOTA_EXCEEDED:
                    throw new ApiProblem(
                            413,
                            "quota-exceeded",
                            "Module quota exceeded",
                            String.join("; ", o.details()),
                            List.of(),
                            java.util.Map.of());
                case NO_TENANT:
                    throw Access.noTenant(tenant);
                default:
                    throw new IllegalStateException("unexpected " + o);
            }
        };
    }

    /** Metadata, or the bytes when the client asks for {@code application/wasm}. */
    private Callable<Object> readOne(RoutingContext ctx) {
        String tenant = Access.tenant(ctx);
        String sha = sha(ctx);
        String accept = ctx.request().getHeader("accept");
        boolean wantsBytes = accept != null && accept.contains("application/wasm");
        return () -> {
            ModuleInfo info = Access.existing(tenants, tenant).modules().get(sha);
            if (info == null) {
                throw noModule(sha);
            }
            if (!wantsBytes) {
                return info;
            }
            byte[] bytes = modules.bytes(tenant, sha);
            if (bytes == null) {
                throw noModule(sha);
            }
            return bytes;
        };
    }

    private Callable<Boolean> delete(RoutingContext ctx) {
        String tenant = Access.tenant(ctx);
        String sha = sha(ctx);
        return () -> {
            Outcome o = modules.delete(tenant, sha);
            switch (o.status()) {
                case DONE:
                    return true;
                case NO_MODULE:
                    throw noModule(sha);
                case NO_TENANT:
                    throw Access.noTenant(tenant);
                case MODULE_IN_USE:
                    throw ApiProblem.conflict(
                            "module-in-use",
                            "the active revision " + o.revision() + " uses module " + sha,
                            List.of());
                default:
                    throw new IllegalStateException("unexpected " + o);
            }
        };
    }

    static String sha(RoutingContext ctx) {
        String sha = ctx.pathParam("sha256").toLowerCase(Locale.ROOT);
        if (sha.startsWith("sha256:")) {
            sha = sha.substring(7);
        }
        if (!SHA256.matcher(sha).matches()) {
            throw ApiProblem.badRequest("a module is named by its sha256: 64 hex digits");
        }
        return sha;
    }

    private static ApiProblem noModule(String sha) {
        return ApiProblem.notFound("no module " + sha);
    }

    private static void uploaded(RoutingContext ctx, Uploaded u) {
        if (u.created()) {
            ctx.response().putHeader("location", ctx.request().path() + "/" + u.module().sha256());
        }
        ApiJson.respond(ctx, u.created() ? 201 : 200, u.module());
    }

    private static void one(RoutingContext ctx, Object result) {
        if (result instanceof byte[]) {
            ctx.response()
                    .putHeader("content-type", "application/wasm")
                    .end(Buffer.buffer((byte[]) result));
        } else {
            ApiJson.respond(ctx, 200, result);
        }
    }
}
