package io.wasmesh.proxy.tenant;

import io.wasmesh.config.TenantConfig;
import io.wasmesh.proxy.route.RouteTable;
import io.wasmesh.proxy.service.WasmService;
import io.wasmesh.proxy.upstream.Cluster;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One tenant of a snapshot, ready to serve: its routes, its clusters, and the plugins and lanes its
 * filter chains run on. Built when the config loads. A tenant that a change leaves untouched is
 * carried into the next snapshot as is (its VMs keep their state), so it is reference-counted: it
 * closes when the last snapshot holding it retires.
 */
public final class TenantRuntime implements AutoCloseable {
    private final TenantConfig config;
    private final RouteTable routes;
    private final Map<String, Cluster> clusters;
    private final Map<String, WasmService> services;
    private final List<ProxyWasmPlugin> plugins;
    private final List<Lane> lanes;
    private final io.wasmesh.proxy.service.CpuBudget budget; // null: none
    private final java.util.concurrent.atomic.AtomicInteger inFlight =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger snapshots =
            new java.util.concurrent.atomic.AtomicInteger(1); // the snapshot it is built for

    public TenantRuntime(
            TenantConfig config,
            RouteTable routes,
            Map<String, Cluster> clusters,
            Map<String, WasmService> services,
            List<ProxyWasmPlugin> plugins,
            List<Lane> lanes,
            io.wasmesh.proxy.service.CpuBudget budget) {
        this.config = config;
        this.budget = plugins.isEmpty() ? null : budget;
        this.routes = routes;
        this.clusters = Map.copyOf(clusters);
        this.services = Map.copyOf(services);
        this.plugins = List.copyOf(plugins);
        this.lanes = List.copyOf(lanes);
    }

    public String name() {
        return config.name();
    }

    public TenantConfig config() {
        return config;
    }

    public RouteTable routes() {
        return routes;
    }

    public Map<String, Cluster> clusters() {
        return clusters;
    }

    /**
     * Takes a slot for one more request of this tenant; false (the proxy answers 503) when it
     * already has {@code limits.maxConcurrentRequests} in flight. A tenant with filters and a Wasm
     * time budget also has its budget brought up to date, which moves it between the scheduler's
     * tiers: services consult the budget when they admit a request, filters have no such moment.
     * Nothing is refused for it: an overdrawn tenant's filters run in the background tier, below
     * everyone else, and its requests slow down instead of its neighbours'.
     */
    public boolean tryStartRequest() {
        if (inFlight.incrementAndGet() > config.limits().maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            return false;
        }
        if (budget != null) {
            budget.update();
        }
        return true;
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    public Map<String, WasmService> services() {
        return services;
    }

    public List<ProxyWasmPlugin> plugins() {
        return plugins;
    }

    /** One more snapshot holds this tenant. */
    public void retain() {
        if (snapshots.getAndIncrement() <= 0) {
            throw new IllegalStateException("tenant " + name() + " is already closed");
        }
    }

    /** A snapshot holding this tenant retired; the last one closes it. */
    public void release() {
        if (snapshots.decrementAndGet() == 0) {
            close();
        }
    }

    /** Closes the plugins (on their lanes, after queued work), then the lanes and clusters. */
    @Override
    public void close() {
        CompletableFuture<?>[] closing =
                plugins.stream().map(ProxyWasmPlugin::closeAsync).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(closing)
                .whenComplete(
                        (v, e) -> {
                            services.values().forEach(WasmService::close);
                            lanes.forEach(Lane::close);
                            clusters.values().forEach(Cluster::close);
                        });
    }
}
