package io.wasmesh.proxy.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.proxy.service.ServiceRequest;
import io.wasmesh.proxy.service.ServiceResponse;
import io.wasmesh.proxy.service.WasmService;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.snapshot.SnapshotHolder;
import io.wasmesh.proxy.telemetry.ClientCall;
import io.wasmesh.proxy.telemetry.ProxyTelemetry;
import io.wasmesh.proxy.telemetry.ServiceCall;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.wasm.exec.Handoff;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.HttpCallRequest;
import io.wasmesh.wasm.proxywasm.spi.HttpCallResponse;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Filters' and services' {@code proxy_http_call}s. The upstream name is one of the calling tenant's
 * clusters (sent with the cluster's balancing and health) or one of its Wasm services (called
 * in-process); nothing else is reachable, so a tenant's config is its outbound allow-list.
 */
public final class ClusterHttpCalls implements HttpCallDispatcher {
    private final Vertx vertx;
    private final SnapshotHolder snapshots;
    private final ProxyTelemetry telemetry;

    public ClusterHttpCalls(Vertx vertx, SnapshotHolder snapshots, ProxyTelemetry telemetry) {
        this.vertx = vertx;
        this.snapshots = snapshots;
        this.telemetry = telemetry;
    }

    @Override
    public CompletionStage<HttpCallResponse> dispatch(HttpCallRequest call) {
        ProxySnapshot snapshot = snapshots.peek();
        TenantRuntime tenant = snapshot == null ? null : snapshot.tenants().get(call.tenant());
        Cluster cluster = tenant == null ? null : tenant.clusters().get(call.upstream());
        if (cluster == null) {
            WasmService service = tenant == null ? null : tenant.services().get(call.upstream());
            if (service == null) {
                throw new UnknownUpstreamException(call.upstream());
            }
            return callService(service, call, telemetry);
        }
        UpstreamHost host =
                cluster.pick(cluster.hashesRequests() ? HashKeys.of(call.plugin()) : 0, null);
        CompletableFuture<HttpCallResponse> result = new CompletableFuture<>();
        if (host == null) {
            result.completeExceptionally(
                    new IllegalStateException("no healthy upstream in " + call.upstream()));
            return result;
        }
        HeaderMap h = call.headers();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        HeaderConversion.copyRegular(h, headers);
        // Called from the guest, on its lane, with the calling callback's span current (if traced).
        ClientCall span =
                telemetry.httpCall(
                        call.tenant(),
                        call.upstream(),
                        host.host(),
                        host.port(),
                        h.get(":method") == null ? "GET" : h.get(":method"),
                        headers,
                        cluster.propagatesTraceContext());
        if (h.get(":authority") != null) {
            headers.set("host", h.get(":authority"));
        }
        RequestOptions options =
                new RequestOptions()
                        .setHost(host.host())
                        .setPort(host.port())
                        .setMethod(
                                HttpMethod.valueOf(
                                        h.get(":method") == null ? "GET" : h.get(":method")))
                        .setURI(h.get(":path") == null ? "/" : h.get(":path"))
                        .setHeaders(headers);
        if (!call.timeout().isZero()) {
            options.setTimeout(call.timeout().toMillis());
        }
        cluster.started(host);
        // Filters call from a Wasm lane: the exchange must run on a Vert.x context, or a response
        // body arriving before body() is asked for can be lost.
        // From a low-priority Wasm worker, through the relay (see Handoff).
        Handoff.run(
                () ->
                        vertx.getOrCreateContext()
                                .runOnContext(v -> send(cluster, host, options, call, result)));
        return result.whenComplete(
                (r, e) -> {
                    if (e != null) {
                        span.fail(e.getClass().getSimpleName());
                    } else {
                        span.end(Integer.parseInt(r.headers().get(":status")));
                    }
                });
    }

    private static void send(
            Cluster cluster,
            UpstreamHost host,
            RequestOptions options,
            HttpCallRequest call,
            CompletableFuture<HttpCallResponse> result) {
        cluster.client()
                .request(options)
                .compose(req -> req.send(Buffer.buffer(call.body())))
                .compose(
                        resp ->
                                resp.body()
                                        .map(
                                                body ->
                                                        toResponse(
                                                                resp.statusCode(),
                                                                resp.headers(),
                                                                body)))
                .onComplete(
                        ar -> {
                            if (ar.succeeded()) {
                                cluster.finished(
                                        host,
                                        Integer.parseInt(ar.result().headers().get(":status")));
                                result.complete(ar.result());
                            } else {
                                cluster.finished(host, -1);
                                result.completeExceptionally(ar.cause());
                            }
                        });
    }

    @SuppressWarnings("try") // the call's span scope is held, not used
    private static CompletionStage<HttpCallResponse> callService(
            WasmService service, HttpCallRequest call, ProxyTelemetry telemetry) {
        HeaderMap headers = call.headers().copy();
        ServiceCall span =
                telemetry.service(
                        call.tenant(),
                        service.name(),
                        headers,
                        io.opentelemetry.context.Context.current());
        ServiceRequest request =
                new ServiceRequest(headers, call.body(), "", null, 0, StreamInfo.NONE);
        CompletableFuture<ServiceResponse> asked;
        try (io.opentelemetry.context.Scope traced = span.makeCurrent()) {
            asked = service.handle(request);
        }
        CompletableFuture<ServiceResponse> answer =
                asked.whenComplete(
                        (r, e) -> {
                            if (e != null) {
                                span.fail(e);
                            } else {
                                span.end(r.status(), r.headers());
                            }
                        });
        if (!call.timeout().isZero()) {
            answer = answer.orTimeout(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        return answer.thenApply(
                r -> {
                    HeaderMap answered = HeaderConversion.withoutHopByHop(r.headers());
                    answered.set(":status", Integer.toString(r.status()));
                    return new HttpCallResponse(answered, r.body(), new HeaderMap());
                });
    }

    private static HttpCallResponse toResponse(int status, MultiMap headers, Buffer body) {
        return new HttpCallResponse(
                HeaderConversion.fromResponse(status, headers), body.getBytes(), new HeaderMap());
    }
}
