package io.wasmesh.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.snapshot.SnapshotHolder;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.proxy.upstream.Cluster;
import io.wasmesh.proxy.upstream.UpstreamHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.tenant.Metrics;
import io.wasmesh.wasm.proxywasm.tenant.TenantRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin endpoint, on its own port (bind it to localhost: like Envoy's, it is not
 * authenticated): {@code /ready}, {@code /config_dump}, {@code /clusters}, {@code /metrics}, and
 * {@code POST /reload}.
 */
public final class AdminServer {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Re-reads the config source; completes with the new revision or fails with the reasons. */
    public interface Reloader extends Supplier<Future<Long>> {}

    private final Vertx vertx;
    private final SnapshotHolder snapshots;
    private final ProxyMetrics metrics;
    private final Supplier<String> otelMetrics;
    private final TenantRegistry tenants;
    private final Supplier<Boolean> draining;
    private final Reloader reloader;
    private HttpServer server;

    public AdminServer(
            Vertx vertx,
            SnapshotHolder snapshots,
            ProxyMetrics metrics,
            TenantRegistry tenants,
            Supplier<Boolean> draining,
            Reloader reloader,
            Supplier<String> otelMetrics) {
        this.otelMetrics = otelMetrics;
        this.vertx = vertx;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.tenants = tenants;
        this.draining = draining;
        this.reloader = reloader;
    }

    public Future<HttpServer> listen(String address, int port) {
        Router router = Router.router(vertx);
        router.get("/ready").handler(this::ready);
        router.get("/config_dump").handler(this::configDump);
        router.get("/clusters").handler(this::clusters);
        router.get("/metrics").handler(this::metrics);
        router.post("/reload").handler(this::reload);
        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(port, address)
                .onSuccess(s -> server = s);
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void ready(RoutingContext rc) {
        ProxySnapshot s = snapshots.peek();
        if (s == null || draining.get()) {
            rc.response().setStatusCode(503).end(s == null ? "NOT LOADED\n" : "DRAINING\n");
        } else {
            rc.response().end("LIVE\n");
        }
    }

    private void configDump(RoutingContext rc) {
        ProxySnapshot s = snapshots.peek();
        if (s == null) {
            rc.response().setStatusCode(503).end("no configuration loaded\n");
            return;
        }
        try {
            ObjectNode out = JSON.createObjectNode();
            out.put("revision", s.revision());
            out.put("loadedAt", s.loadedAt().toString());
            out.set("config", JSON.readTree(s.config().toJson()));
            json(rc, out);
        } catch (java.io.IOException e) {
            rc.fail(e);
        }
    }

    private void clusters(RoutingContext rc) {
        ProxySnapshot s = snapshots.peek();
        ObjectNode out = JSON.createObjectNode();
        if (s != null) {
            long now = System.nanoTime();
            for (TenantRuntime t : s.tenants().values()) {
                ObjectNode tenant = out.putObject(t.name());
                for (Cluster c : t.clusters().values()) {
                    ObjectNode cluster = tenant.putObject(c.name());
                    cluster.put(
                            "loadBalancer",
                            c.config().loadBalancer().name().toLowerCase(java.util.Locale.ROOT));
                    ObjectNode breaker = cluster.putObject("circuitBreaker");
                    breaker.put("activeRequests", c.breaker().activeRequests());
                    breaker.put("activeRetries", c.breaker().activeRetries());
                    breaker.put("overflows", c.breaker().overflows());
                    ArrayNode endpoints = cluster.putArray("endpoints");
                    for (UpstreamHost h : c.hosts()) {
                        ObjectNode e = endpoints.addObject();
                        e.put("address", h.address());
                        e.put("weight", h.weight());
                        e.put("healthy", h.healthy());
                        e.put("ejected", h.ejected(now));
                        e.put("ejections", h.ejections());
                        e.put("activeRequests", h.activeRequests());
                        e.put("requests", h.requests());
                        e.put("failures", h.failures());
                    }
                }
            }
        }
        json(rc, out);
    }

    private void metrics(RoutingContext rc) {
        StringBuilder text = new StringBuilder(metrics.prometheusText());
        ProxySnapshot s = snapshots.peek();
        if (s != null) {
            // One group per metric family, as the Prometheus text format requires.
            Map<String, StringBuilder> families = new LinkedHashMap<>();
            for (TenantRuntime t : s.tenants().values()) {
                for (ProxyWasmPlugin p : t.plugins()) {
                    String labels =
                            "tenant=\"" + t.name() + "\",plugin=\"" + p.config().name() + "\"";
                    sample(
                            families,
                            "wasmesh_wasm_vms_started_total",
                            labels,
                            p.stats().vmsStarted());
                    sample(
                            families,
                            "wasmesh_wasm_vms_released_total",
                            labels,
                            p.stats().vmsReleased());
                }
                for (Metrics.Metric m : tenants.tenant(t.name()).metrics().all()) {
                    if (m.type() != io.wasmesh.wasm.proxywasm.abi.MetricType.HISTOGRAM) {
                        String labels =
                                "tenant=\""
                                        + t.name()
                                        + "\",name=\""
                                        + m.name().replace("\"", "\\\"")
                                        + "\"";
                        sample(families, "wasmesh_filter_metric", labels, m.value());
                    }
                }
            }
            families.forEach((name, samples) -> text.append(samples));
        }
        // OpenTelemetry's instruments: HTTP server/client durations, Wasm calls and failures...
        text.append(otelMetrics.get());
        rc.response().putHeader("content-type", "text/plain; version=0.0.4").end(text.toString());
    }

    private static void sample(
            Map<String, StringBuilder> families, String family, String labels, long value) {
        families.computeIfAbsent(
                        family,
                        f ->
                                new StringBuilder("# TYPE ")
                                        .append(f)
                                        .append(f.endsWith("_total") ? " counter\n" : " gauge\n"))
                .append(family)
                .append('{')
                .append(labels)
                .append("} ")
                .append(value)
                .append('\n');
    }

    private void reload(RoutingContext rc) {
        reloader.get()
                .onSuccess(revision -> rc.response().end("reloaded: revision " + revision + "\n"))
                .onFailure(
                        e ->
                                rc.response()
                                        .setStatusCode(400)
                                        .end(
                                                "reload rejected, previous configuration still serving:\n"
                                                        + e.getMessage()
                                                        + "\n"));
    }

    private static void json(RoutingContext rc, Object value) {
        try {
            rc.response()
                    .putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            rc.fail(e);
        }
    }
}
