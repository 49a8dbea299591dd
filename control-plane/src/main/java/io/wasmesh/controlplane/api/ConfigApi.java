package io.wasmesh.controlplane.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wasmesh.config.ConfigError;
import io.wasmesh.config.ConfigException;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.Format;
import io.wasmesh.config.TenantDocument;
import io.wasmesh.controlplane.store.Origin;
import io.wasmesh.controlplane.store.Outcome;
import io.wasmesh.controlplane.store.StoredDocument;
import io.wasmesh.controlplane.store.TenantRecord;
import io.wasmesh.controlplane.store.TenantRecord.Revision;
import io.wasmesh.controlplane.store.TenantStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** A tenant's config: apply a document, read it, its revisions, roll back. */
final class ConfigApi {
    private final TenantStore tenants;
    private final int maxDocumentBytes;

    record RollbackRequest(Long revision) {}

    /**
     * @param rolledBackTo the revision whose document a rollback brought back, else null
     */
    record Committed(long revision, Long rolledBackTo) {}

    /**
     * @param active whether it is the active revision (only then is its number an ETag that {@code
     *     If-Match} can use)
     */
    record Shown(Revision revision, StoredDocument document, boolean active) {}

    ConfigApi(TenantStore tenants, int maxDocumentBytes) {
        this.tenants = tenants;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    void mount(Router r) {
        r.put("/v1/tenants/:tenant/config")
                .handler(BodyHandler.create().setBodyLimit(maxDocumentBytes))
                .handler(Blocking.handler(this::apply, ConfigApi::committed));
        r.get("/v1/tenants/:tenant/config")
                .handler(Blocking.handler(ctx -> show(ctx, 0), ConfigApi::shown));
        r.get("/v1/tenants/:tenant/config/revisions")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    String tenant = Access.tenant(ctx);
                                    return () ->
                                            Access.existing(tenants, tenant).revisions().stream()
                                                    .map(Views::revision)
                                                    .toList();
                                },
                                (ctx, list) -> ApiJson.respond(ctx, 200, list)));
        r.get("/v1/tenants/:tenant/config/revisions/:n")
                .handler(Blocking.handler(ctx -> show(ctx, revisionParam(ctx)), ConfigApi::shown));
        r.post("/v1/tenants/:tenant/config/rollback")
                .handler(BodyHandler.create().setBodyLimit(64 << 10))
                .handler(Blocking.handler(this::rollback, ConfigApi::committed));
    }

    private Callable<Committed> apply(RoutingContext ctx) {
        Origin origin = RequestTelemetry.origin(ctx);
        String tenant = Access.tenant(ctx);
        String text = ctx.body().asString();
        Format format = format(ctx.request().getHeader("content-type"), text);
        long ifMatch = ETags.ifMatch(ctx.request().getHeader("if-match"));
        return () -> {
            TenantDocument doc = parse(text == null ? "" : text, format);
            StoredDocument stored =
                    new StoredDocument(
                            format.name().toLowerCase(Locale.ROOT), text == null ? "" : text);
            Outcome o = tenants.apply(tenant, stored, doc.moduleDigests(), ifMatch, origin);
            return committedOrThrow(tenant, o);
        };
    }

    private Callable<Committed> rollback(RoutingContext ctx) {
        Origin origin = RequestTelemetry.origin(ctx);
        String tenant = Access.tenant(ctx);
        RollbackRequest req =
                ApiJson.noBody(ctx)
                        ? new RollbackRequest(null)
                        : ApiJson.read(ctx, RollbackRequest.class);
        long ifMatch = ETags.ifMatch(ctx.request().getHeader("if-match"));
        long target = req.revision() == null ? 0 : req.revision();
        return () -> {
            Outcome o = tenants.rollback(tenant, target, ifMatch, origin);
            Committed c = committedOrThrow(tenant, o);
            return new Committed(c.revision(), Long.parseLong(o.details().get(0)));
        };
    }

    private Callable<Shown> show(RoutingContext ctx, long number) {
        String tenant = Access.tenant(ctx);
        return () -> {
            TenantRecord t = Access.existing(tenants, tenant);
            Revision r = number == 0 ? t.active() : t.revision(number);
            if (r == null) {
                throw ApiProblem.notFound(
                        "no revision "
                                + number
                                + " (the last "
                                + TenantRecord.KEPT_REVISIONS
                                + " are kept)");
            }
            return new Shown(r, tenants.document(tenant, r), r == t.active());
        };
    }

    static TenantDocument parse(String text, Format format) {
        if (text.isBlank()) {
            return TenantDocument.EMPTY;
        }
        String source = format == Format.JSON ? "config.json" : "config.yaml";
        try {
            return ConfigLoader.parseTenantDocument(text, source, format);
        } catch (ConfigException e) {
            throw ApiProblem.invalid(
                    "the config has " + e.errors().size() + " error(s)",
                    e.errors().stream().map(ConfigError::toString).toList());
        }
    }

    private Committed committedOrThrow(String tenant, Outcome o) {
        switch (o.status()) {
            case DONE:
                return new Committed(o.revision(), null);
            case STALE:
                throw ApiProblem.stale(o.revision());
            case NO_TENANT:
                throw Access.noTenant(tenant);
            case MODULES_MISSING:
                throw ApiProblem.invalid(
                        "the config references modules this tenant has not uploaded",
                        o.details().stream()
                                .map(m -> "module sha256:" + m + " is not uploaded")
                                .toList());
            case NO_REVISION:
                throw ApiProblem.conflict(
                        "no-such-revision",
                        "cannot roll back to revision "
                                + String.join(", ", o.details())
                                + ": it is the active revision, or not one of the last "
                                + TenantRecord.KEPT_REVISIONS
                                + " kept",
                        List.of());
            default:
                throw new IllegalStateException("unexpected " + o);
        }
    }

    /** By Content-Type; without one, a document starting with '{' is JSON. */
    static Format format(String contentType, String text) {
        if (contentType != null) {
            String ct = contentType.toLowerCase(Locale.ROOT);
            if (ct.contains("json")) {
                return Format.JSON;
            }
            if (ct.contains("yaml")) {
                return Format.YAML;
            }
        }
        return text != null && text.stripLeading().startsWith("{") ? Format.JSON : Format.YAML;
    }

    private static long revisionParam(RoutingContext ctx) {
        try {
            long n = Long.parseLong(ctx.pathParam("n"));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiProblem.badRequest("a revision is a positive number");
    }

    private static void committed(RoutingContext ctx, Committed c) {
        ctx.response()
                .putHeader("etag", ETags.of(c.revision()))
                .putHeader(
                        "location",
                        "/v1/tenants/"
                                + ctx.pathParam("tenant")
                                + "/config/revisions/"
                                + c.revision());
        ApiJson.respond(ctx, 201, c);
    }

    private static void shown(RoutingContext ctx, Shown s) {
        boolean json = "json".equals(s.document().format());
        if (s.active()) {
            ctx.response().putHeader("etag", ETags.of(s.revision().number()));
        }
        ctx.response()
                .putHeader("wasmesh-revision", Long.toString(s.revision().number()))
                .putHeader("content-type", json ? "application/json" : "application/yaml")
                .end(s.document().text());
    }
}
