package io.wasmesh.controlplane.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.controlplane.push.PushHub;
import io.wasmesh.controlplane.store.ModuleStore;

/** What proxies call: the push stream and module downloads. */
final class ProxyApi {
    private final PushHub hub;
    private final ModuleStore modules;

    ProxyApi(PushHub hub, ModuleStore modules) {
        this.hub = hub;
        this.modules = modules;
    }

    void mount(Router r) {
        r.get("/v1/proxy/stream").handler(this::stream);
        r.get("/v1/proxy/tenants/:tenant/modules/:sha256")
                .handler(
                        Blocking.handler(
                                ctx -> {
                                    Access.proxy(ctx);
                                    String tenant = ctx.pathParam("tenant");
                                    String sha = ModuleApi.sha(ctx);
                                    return () -> {
                                        byte[] bytes = modules.bytes(tenant, sha);
                                        if (bytes == null) {
                                            throw ApiProblem.notFound("no module " + sha);
                                        }
                                        return bytes;
                                    };
                                },
                                (ctx, bytes) ->
                                        ctx.response()
                                                .putHeader("content-type", "application/wasm")
                                                .end(Buffer.buffer(bytes))));
    }

    private void stream(RoutingContext ctx) {
        Access.proxy(ctx);
        ctx.request()
                .toWebSocket()
                .onSuccess(hub::accept)
                .onFailure(
                        e ->
                                ctx.fail(
                                        ApiProblem.badRequest(
                                                "this endpoint is a WebSocket: "
                                                        + e.getMessage())));
    }
}
