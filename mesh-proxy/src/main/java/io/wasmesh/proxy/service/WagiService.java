package io.wasmesh.proxy.service;

import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.wagi.CgiRequest;
import io.wasmesh.wasm.wagi.CgiResponse;
import io.wasmesh.wasm.wagi.WagiFailure;
import io.wasmesh.wasm.wagi.WagiModule;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A WASI command served as WAGI: every request runs in a fresh instance on one of the tenant's
 * lanes (round robin), so requests of one tenant use at most its share of the Wasm workers.
 */
public final class WagiService implements WasmService {
    private final String name;
    private final WagiModule module;
    private final List<Lane> lanes;
    private final BiConsumer<String, String> failures;
    private final Admission admission;
    private final CpuBudget budget; // null: none
    private final AtomicInteger next = new AtomicInteger();

    public WagiService(
            String name,
            WagiModule module,
            List<Lane> lanes,
            int maxConcurrent,
            CpuBudget budget,
            BiConsumer<String, String> failures) {
        this.name = name;
        this.module = module;
        this.lanes = List.copyOf(lanes);
        this.failures = failures;
        this.admission = new Admission(name, maxConcurrent, budget, failures);
        this.budget = budget;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    @SuppressWarnings("try") // the request's trace scope is held on the lane, not used
    public CompletableFuture<ServiceResponse> handle(ServiceRequest request) {
        // The caller's trace context goes with the task: the guest's stderr lines name its trace.
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        return admission.admit(
                () -> {
                    Lane lane = lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()));
                    CgiRequest cgi = cgi(request);
                    return lane.submit(
                            () -> {
                                try (io.opentelemetry.context.Scope s = trace.makeCurrent()) {
                                    return run(cgi);
                                }
                            });
                });
    }

    /** WAGI keeps no instance between requests, only their memories: those go when idle. */
    @Override
    public CompletableFuture<Integer> releaseIdle(java.time.Duration idleFor) {
        return CompletableFuture.completedFuture(module.releaseIdleMemory(idleFor));
    }

    /** Instances running now and their memory, for the footprint gauges. */
    public int liveInstances() {
        return module.liveInstances();
    }

    public long liveMemoryBytes() {
        return module.liveMemoryBytes();
    }

    private ServiceResponse run(CgiRequest cgi) {
        try {
            // A request may use what is left of the tenant's budget, and no more.
            long left = budget == null ? Long.MAX_VALUE : budget.remainingNanos();
            CgiResponse r = module.handle(cgi, left);
            return new ServiceResponse(r.status(), r.headers(), r.body());
        } catch (WagiFailure f) {
            failures.accept(name, f.kind().reason());
            return ServiceResponse.failure(f.kind().status(), f.kind().reason(), f.getMessage());
        }
    }

    private static CgiRequest cgi(ServiceRequest r) {
        HeaderMap h = r.headers();
        String fullPath = h.get(":path") == null ? "/" : h.get(":path");
        int q = fullPath.indexOf('?');
        String path = q < 0 ? fullPath : fullPath.substring(0, q);
        String query = q < 0 ? "" : fullPath.substring(q + 1);
        String script = r.routePrefix();
        if (script.endsWith("/")) {
            script = script.substring(0, script.length() - 1);
        }
        String pathInfo = path.startsWith(script) ? path.substring(script.length()) : path;
        String authority = h.get(":authority") == null ? "" : h.get(":authority");
        String host = io.wasmesh.proxy.route.RequestFacts.hostWithoutPortOf(authority);
        return new CgiRequest(
                h.get(":method"),
                script,
                pathInfo,
                query,
                h,
                r.body(),
                host,
                r.serverPort(),
                r.remoteAddress(),
                h.get(":scheme"));
    }

    @Override
    public void close() {
        // Nothing is kept between requests; the lanes belong to the tenant.
    }
}
