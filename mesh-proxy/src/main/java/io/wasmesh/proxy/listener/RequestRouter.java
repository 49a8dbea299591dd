package io.wasmesh.proxy.listener;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.wasmesh.proxy.exchange.ProxyExchange;
import io.wasmesh.proxy.http.HeaderConversion;
import io.wasmesh.proxy.route.RequestFacts;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.snapshot.SnapshotHolder;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.telemetry.ProxyTelemetry;
import io.wasmesh.proxy.telemetry.RequestTrace;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * The first steps of every request, on its event loop: take the current snapshot, find the tenant
 * by authority and the route in the tenant's table, then hand over to a {@link ProxyExchange}.
 * Requests no tenant or route claims get Envoy's answer, 404.
 */
public final class RequestRouter implements Handler<HttpServerRequest> {
    private final SnapshotHolder snapshots;
    private final ProxyMetrics metrics;
    private final ProxyTelemetry telemetry;

    public RequestRouter(SnapshotHolder snapshots, ProxyMetrics metrics, ProxyTelemetry telemetry) {
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.telemetry = telemetry;
    }

    @Override
    public void handle(HttpServerRequest req) {
        long start = System.nanoTime();
        ProxySnapshot snapshot = snapshots.acquire();
        if (snapshot == null) {
            reply(req, 503, "no configuration loaded\n");
            return;
        }
        String authority = authority(req);
        TenantRuntime tenant = snapshot.tenantFor(authority);
        if (tenant == null) {
            snapshot.release();
            metrics.increment("wasmesh_unrouted_total", "reason", "no_tenant");
            reply(req, 404, "no tenant for host " + authority + "\n");
            telemetry.unrouted(null, req.method().name(), 404, start);
            return;
        }
        HeaderMap headers = HeaderConversion.fromRequest(req, req.isSSL() ? "https" : "http");
        Route route = tenant.routes().match(new RequestFacts(headers));
        if (route == null) {
            snapshot.release();
            metrics.increment(
                    "wasmesh_unrouted_total", "reason", "no_route", "tenant", tenant.name());
            reply(req, 404, "no route for " + req.method() + " " + req.path() + "\n");
            telemetry.unrouted(tenant.name(), req.method().name(), 404, start);
            return;
        }
        if (!tenant.tryStartRequest()) {
            snapshot.release();
            metrics.increment("wasmesh_tenant_overflow_total", "tenant", tenant.name());
            req.response()
                    .setStatusCode(503)
                    .putHeader("content-type", "text/plain")
                    .putHeader("x-wasmesh-overloaded", "true")
                    .end("tenant " + tenant.name() + " has too many requests in flight\n");
            telemetry.unrouted(tenant.name(), req.method().name(), 503, start);
            return;
        }
        RequestTrace trace = telemetry.begin(headers, tenant, route, req.method().name());
        new ProxyExchange(
                        snapshot,
                        tenant,
                        route,
                        req,
                        headers,
                        Vertx.currentContext(),
                        metrics,
                        trace)
                .start();
    }

    private static String authority(HttpServerRequest req) {
        io.vertx.core.net.HostAndPort a = req.authority();
        if (a == null) {
            return "";
        }
        return a.port() > 0 ? a.host() + ":" + a.port() : a.host();
    }

    private static void reply(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader("content-type", "text/plain").end(body);
    }
}
