package io.wasmesh.controlplane.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.wasmesh.controlplane.ControlPlaneTelemetry;
import io.wasmesh.controlplane.auth.RateLimiter;
import io.wasmesh.controlplane.modules.ModuleValidator;
import io.wasmesh.controlplane.push.ProxyRegistry;
import io.wasmesh.controlplane.push.PushHub;
import io.wasmesh.controlplane.store.ModuleStore;
import io.wasmesh.controlplane.store.TenantStore;
import io.wasmesh.controlplane.store.TokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * The REST API's routes. Order matters: authentication runs before any body is read (an
 * unauthenticated client cannot make us buffer an upload), the two large-body routes bring their
 * own body limits, and every other route reads at most {@link Limits#maxJsonBytes}.
 */
public final class ApiServer {

    /**
     * @param maxModuleBytes the largest module upload (413 beyond)
     * @param maxDocumentBytes the largest config document (413 beyond)
     * @param maxJsonBytes the largest body of any other request
     * @param ratePerSecond each token's sustained request rate on this node
     * @param rateBurst how many requests a token may make at once
     */
    public record Limits(
            int maxModuleBytes,
            int maxDocumentBytes,
            int maxJsonBytes,
            double ratePerSecond,
            int rateBurst) {
        public static final Limits DEFAULT = new Limits(16 << 20, 1 << 20, 64 << 10, 50, 100);
    }

    private ApiServer() {}

    public static Router router(
            Vertx vertx,
            TenantStore tenants,
            ModuleStore modules,
            TokenStore tokens,
            ProxyRegistry proxies,
            PushHub hub,
            Limits limits,
            Clock clock,
            BooleanSupplier healthy,
            ControlPlaneTelemetry telemetry) {
        Router r = Router.router(vertx);
        r.route().handler(new RequestTelemetry(telemetry));
        // Prometheus scrapes without a token, as it does every exporter; bind the API accordingly.
        r.get("/metrics")
                .handler(
                        ctx ->
                                ctx.response()
                                        .putHeader("content-type", "text/plain; version=0.0.4")
                                        .end(telemetry.telemetry().prometheusText()));
        Buffer openApi = openApi();
        r.get("/v1/health")
                .handler(
                        ctx -> {
                            boolean ok = healthy.getAsBoolean();
                            ctx.response()
                                    .setStatusCode(ok ? 200 : 503)
                                    .end(ok ? "ok" : "starting");
                        });
        r.get("/v1/openapi.json")
                .handler(
                        ctx ->
                                ctx.response()
                                        .putHeader("content-type", "application/json")
                                        .end(openApi));
        r.route("/v1/*")
                .handler(
                        new Authentication(
                                tokens.map(),
                                new RateLimiter(limits.ratePerSecond(), limits.rateBurst())));
        // Large bodies first, with their own limits; the general limit must not see them.
        new ModuleApi(
                        modules,
                        tenants,
                        new ModuleValidator(limits.maxModuleBytes()),
                        limits.maxModuleBytes(),
                        clock)
                .mount(r);
        ConfigApi config = new ConfigApi(tenants, limits.maxDocumentBytes());
        config.mount(r);
        new ProxyApi(hub, modules).mount(r);
        r.route("/v1/*").handler(BodyHandler.create().setBodyLimit(limits.maxJsonBytes()));
        new TenantApi(tenants, modules, tokens).mount(r);
        new TokenApi(tokens, tenants).mount(r);
        new StatusApi(tenants, proxies).mount(r);
        r.route().failureHandler(new ProblemWriter());
        return r;
    }

    /** The OpenAPI document, also published as {@code docs/openapi.json}. */
    static Buffer openApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
