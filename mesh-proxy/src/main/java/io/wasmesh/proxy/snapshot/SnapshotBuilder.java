package io.wasmesh.proxy.snapshot;

import io.vertx.core.Vertx;
import io.wasmesh.config.ClusterConfig;
import io.wasmesh.config.FilterConfig;
import io.wasmesh.config.FilterOverride;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.config.ModuleRef;
import io.wasmesh.config.RouteAction;
import io.wasmesh.config.RouteConfig;
import io.wasmesh.config.ServiceConfig;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.config.TenantLimits;
import io.wasmesh.config.WeightedCluster;
import io.wasmesh.proxy.filter.FilterChainFactory;
import io.wasmesh.proxy.route.Route;
import io.wasmesh.proxy.route.RouteTable;
import io.wasmesh.proxy.service.CpuBudget;
import io.wasmesh.proxy.service.ProxyWasmService;
import io.wasmesh.proxy.service.WagiService;
import io.wasmesh.proxy.service.WasmService;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.tenant.TenantRuntime;
import io.wasmesh.proxy.upstream.Cluster;
import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.engine.ModuleDigest;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.FailurePolicy;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.PluginRejectedException;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.abi.AbiVersion;
import io.wasmesh.wasm.wagi.WagiModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Turns a validated config into a snapshot: loads and compiles modules (once per digest), starts
 * every plugin (so a filter refusing its configuration is found now, not on the first request),
 * builds the clusters and compiles the routes. Blocking: run it off the event loop. All or nothing:
 * on any failure whatever was started is closed and every reason reported.
 */
public final class SnapshotBuilder {
    private final Vertx vertx;
    private final ProxyWasmHost host;
    private final ModuleCache modules;
    private final ProxyMetrics metrics;
    private final ModuleFiles moduleFiles;

    /**
     * Whether WAGI services answer from the interpreter while they compile (fast first answer) or
     * wait for the compiler; {@code -Dwasmesh.tieredServices=false} turns it off.
     */
    static final boolean TIERED_SERVICES =
            Boolean.parseBoolean(System.getProperty("wasmesh.tieredServices", "true"));

    /**
     * The smallest service that starts in the interpreter ({@code
     * -Dwasmesh.tieredServices.minBytes}): smaller ones compile in about 30 ms, and every module
     * that ever ran interpreted makes the JIT's code for all of them a little slower
     * (benchmarks.md).
     */
    static final int TIERED_MIN_BYTES =
            Integer.getInteger("wasmesh.tieredServices.minBytes", 48 << 10);

    /** Where modules given only by digest are found: the control plane's downloads. */
    @FunctionalInterface
    public interface ModuleFiles {
        /** The file holding the module with this sha256, or null. */
        Path find(String sha256);
    }

    public SnapshotBuilder(
            Vertx vertx,
            ProxyWasmHost host,
            ModuleCache modules,
            ProxyMetrics metrics,
            ModuleFiles moduleFiles) {
        this.vertx = vertx;
        this.host = host;
        this.modules = modules;
        this.metrics = metrics;
        this.moduleFiles = moduleFiles;
    }

    public ProxySnapshot build(MeshConfig config, long revision) throws SnapshotRejectedException {
        return build(config, revision, null, java.util.Set.of());
    }

    /**
     * Builds {@code config}, carrying over from {@code current} every tenant that is not named in
     * {@code rebuild} (its runtime, VMs and state as they are), so a change to one tenant leaves
     * the others untouched.
     *
     * @param current the snapshot in service, or null to build everything
     */
    public ProxySnapshot build(
            MeshConfig config, long revision, ProxySnapshot current, java.util.Set<String> rebuild)
            throws SnapshotRejectedException {
        List<String> errors = new ArrayList<>();
        List<TenantRuntime> built = new ArrayList<>();
        List<TenantRuntime> carried = new ArrayList<>();
        List<TenantRuntime> tenants = new ArrayList<>();
        for (TenantConfig t : config.tenants()) {
            TenantRuntime old = current == null ? null : current.tenants().get(t.name());
            if (old != null && !rebuild.contains(t.name())) {
                carried.add(old);
                tenants.add(old);
                continue;
            }
            TenantBuild b = new TenantBuild(t, errors);
            TenantRuntime runtime = b.build();
            if (runtime != null) {
                built.add(runtime);
                tenants.add(runtime);
            }
        }
        if (!errors.isEmpty()) {
            built.forEach(TenantRuntime::close);
            throw new SnapshotRejectedException(errors);
        }
        carried.forEach(TenantRuntime::retain);
        return new ProxySnapshot(revision, config, tenants);
    }

    /** Plugins run in Istio's phase order, then by descending priority, then as declared. */
    static final Comparator<FilterConfig> CHAIN_ORDER =
            Comparator.<FilterConfig>comparingInt(f -> f.phase().ordinal())
                    .thenComparing(Comparator.comparingInt(FilterConfig::priority).reversed());

    /** The building of one tenant; on error it closes what it started and returns null. */
    private final class TenantBuild {
        private final TenantConfig tenant;
        private final List<String> errors;
        private final int errorsBefore;
        private final List<Lane> lanes = new ArrayList<>();
        private final List<ProxyWasmPlugin> plugins = new ArrayList<>();
        private final Map<String, Cluster> clusters = new LinkedHashMap<>();
        private final Map<String, WasmService> services = new LinkedHashMap<>();
        private CpuBudget budget;

        TenantBuild(TenantConfig tenant, List<String> errors) {
            this.tenant = tenant;
            this.errors = errors;
            this.errorsBefore = errors.size();
        }

        TenantRuntime build() {
            TenantLimits limits = tenant.limits();
            int laneCount =
                    limits.wasmWorkers() > 0
                            ? limits.wasmWorkers()
                            : host.scheduler().config().maxWorkersPerTenant();
            for (int i = 0; i < laneCount; i++) {
                lanes.add(host.scheduler().newLane(tenant.name()));
            }
            for (ClusterConfig c : tenant.clusters()) {
                clusters.put(c.name(), new Cluster(vertx, tenant.name(), c));
            }
            if (!limits.cpuPerSecond().isZero()) {
                budget =
                        new CpuBudget(
                                host.scheduler().busyClock(tenant.name()),
                                limits.cpuPerSecond(),
                                host.scheduler().tier(tenant.name()));
            }
            for (ServiceConfig s : tenant.services()) {
                WasmService service = service(s);
                if (service != null) {
                    services.put(s.name(), service);
                }
            }
            List<FilterConfig> ordered = new ArrayList<>(tenant.filters());
            ordered.sort(CHAIN_ORDER);
            Map<String, ProxyWasmPlugin> base = new LinkedHashMap<>();
            for (FilterConfig f : ordered) {
                ProxyWasmPlugin p = start(f, f.name(), f.configuration());
                if (p != null) {
                    base.put(f.name(), p);
                }
            }
            List<Route> routes = new ArrayList<>();
            for (RouteConfig r : tenant.routes()) {
                Route route = route(r, ordered, base);
                if (route != null) {
                    routes.add(route);
                }
            }
            TenantRuntime runtime =
                    new TenantRuntime(
                            tenant,
                            new RouteTable(routes),
                            clusters,
                            services,
                            plugins,
                            lanes,
                            budget);
            if (errors.size() > errorsBefore) {
                runtime.close();
                return null;
            }
            return runtime;
        }

        private Route route(
                RouteConfig r, List<FilterConfig> ordered, Map<String, ProxyWasmPlugin> base) {
            List<ProxyWasmPlugin> chain = new ArrayList<>();
            for (FilterConfig f : ordered) {
                FilterOverride o = r.filters().get(f.name());
                if (o != null && Boolean.TRUE.equals(o.disabled())) {
                    continue;
                }
                if (o != null && o.configuration() != null) {
                    ProxyWasmPlugin p = start(f, f.name() + "@" + r.name(), o.configuration());
                    if (p != null) {
                        chain.add(p);
                    }
                } else if (base.containsKey(f.name())) {
                    chain.add(base.get(f.name()));
                }
            }
            List<Cluster> targets = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            RouteAction action = r.action();
            if (action instanceof RouteAction.ToClusters) {
                for (WeightedCluster w : ((RouteAction.ToClusters) action).clusters()) {
                    Cluster c = clusters.get(w.name());
                    if (c == null) {
                        errors.add(where(r) + ": unknown cluster '" + w.name() + "'");
                        return null;
                    }
                    targets.add(c);
                    weights.add(w.weight());
                }
            } else if (action instanceof RouteAction.ToService) {
                String name = ((RouteAction.ToService) action).service();
                WasmService service = services.get(name);
                if (service == null) {
                    errors.add(where(r) + ": unknown or failed service '" + name + "'");
                    return null;
                }
                return new Route(r, new FilterChainFactory(chain, lanes), service);
            }
            return new Route(r, new FilterChainFactory(chain, lanes), targets, weights);
        }

        /**
         * A service: a proxy-wasm module (it exports an ABI marker) keeps VMs on the tenant's
         * lanes; a WASI command (it exports {@code _start}) runs as WAGI, fresh per request.
         */
        private WasmService service(ServiceConfig s) {
            String where = "tenant " + tenant.name() + ", service " + s.name();
            CompiledModule module;
            try {
                // Tiered: a WAGI service answers from the interpreter while it compiles.
                module = load(s.module(), TIERED_SERVICES);
            } catch (IOException e) {
                errors.add(where + ": cannot read module " + s.module().path() + ": " + e);
                return null;
            } catch (ModuleRejectedException | IllegalArgumentException e) {
                errors.add(where + ": " + e.getMessage());
                return null;
            }
            TenantLimits limits = tenant.limits();
            java.util.function.BiConsumer<String, String> failures =
                    (service, reason) ->
                            metrics.increment(
                                    "wasmesh_service_failures_total",
                                    "tenant",
                                    tenant.name(),
                                    "service",
                                    service,
                                    "reason",
                                    reason);
            if (AbiVersion.detect(module.exportNames()) != null) {
                try {
                    // Its VMs live long: they start on compiled code.
                    module = module.whenCompiled().join();
                } catch (CompletionException e) {
                    errors.add(where + ": " + e.getCause().getMessage());
                    return null;
                }
                PluginConfig pc =
                        PluginConfig.builder(tenant.name(), s.name())
                                .rootId(s.rootId())
                                .configuration(s.configuration())
                                .failurePolicy(FailurePolicy.FAIL_CLOSED)
                                .maxMemoryPages(limits.maxMemoryPages())
                                .callDeadline(s.timeout())
                                .bodyBufferLimit(intLimit(limits.maxRequestBodyBytes()))
                                .responseBodyBufferLimit(intLimit(limits.maxResponseBodyBytes()))
                                .build();
                ProxyWasmPlugin plugin = startPlugin(where, module, pc);
                return plugin == null
                        ? null
                        : new ProxyWasmService(
                                s.name(),
                                plugin,
                                lanes,
                                limits.maxConcurrentRequests(),
                                budget,
                                failures);
            }
            if (WagiModule.isCommand(module)) {
                System.Logger log =
                        System.getLogger("wasmesh.service." + tenant.name() + "." + s.name());
                WagiModule wagi =
                        new WagiModule(
                                module,
                                s.name(),
                                s.environment(),
                                new InstanceLimits(limits.maxMemoryPages(), s.timeout()),
                                intLimit(limits.maxResponseBodyBytes()),
                                line ->
                                        log.log(
                                                System.Logger.Level.INFO,
                                                io.wasmesh.proxy.telemetry.TraceLogSink.withTrace(
                                                        line, tenant.name())),
                                host.tenants().tenant(tenant.name()).sharedData());
                return new WagiService(
                        s.name(), wagi, lanes, limits.maxConcurrentRequests(), budget, failures);
            }
            errors.add(
                    where
                            + ": module "
                            + module.digest().shortHex()
                            + " is neither a WASI command (exports _start) nor a proxy-wasm module");
            return null;
        }

        private ProxyWasmPlugin start(FilterConfig f, String name, String configuration) {
            String where = "tenant " + tenant.name() + ", filter " + name;
            CompiledModule module;
            try {
                module = load(f.module(), false);
            } catch (IOException e) {
                errors.add(where + ": cannot read module " + f.module().path() + ": " + e);
                return null;
            } catch (ModuleRejectedException | IllegalArgumentException e) {
                errors.add(where + ": " + e.getMessage());
                return null;
            }
            TenantLimits limits = tenant.limits();
            PluginConfig pc =
                    PluginConfig.builder(tenant.name(), name)
                            .rootId(f.rootId())
                            .configuration(configuration)
                            .failurePolicy(FailurePolicy.valueOf(f.failurePolicy().name()))
                            .maxMemoryPages(limits.maxMemoryPages())
                            .callDeadline(limits.callDeadline())
                            .bodyBufferLimit(intLimit(limits.maxRequestBodyBytes()))
                            .responseBodyBufferLimit(intLimit(limits.maxResponseBodyBytes()))
                            .build();
            return startPlugin(where, module, pc);
        }

        private ProxyWasmPlugin startPlugin(String where, CompiledModule module, PluginConfig pc) {
            try {
                ProxyWasmPlugin p = host.startPlugin(module, pc, lanes).join();
                plugins.add(p);
                return p;
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof PluginRejectedException
                        || cause instanceof ModuleRejectedException
                        || cause instanceof io.wasmesh.wasm.engine.GuestFailure) {
                    errors.add(where + ": " + cause.getMessage());
                    return null;
                }
                throw e;
            }
        }

        private CompiledModule load(ModuleRef ref, boolean tiered) throws IOException {
            Path file = ref.path() != null ? Path.of(ref.path()) : null;
            if (file == null && moduleFiles != null) {
                file = moduleFiles.find(ref.sha256());
            }
            if (file == null) {
                throw new IllegalArgumentException(
                        "module sha256:" + ref.sha256() + " is not in this proxy's module store");
            }
            byte[] bytes = Files.readAllBytes(file);
            boolean interpretFirst = tiered && bytes.length >= TIERED_MIN_BYTES;
            if (ref.sha256() == null) {
                return interpretFirst ? modules.loadTiered(bytes) : modules.load(bytes);
            }
            ModuleDigest digest = ModuleDigest.parse(ref.sha256());
            return interpretFirst ? modules.loadTiered(bytes, digest) : modules.load(bytes, digest);
        }

        /** Buffers are Java arrays: a limit past 2 GiB means 2 GiB. */
        private static int intLimit(long bytes) {
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }

        private String where(RouteConfig r) {
            return "tenant " + tenant.name() + ", route " + r.name();
        }
    }
}
