package io.wasmesh.proxy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.wasmesh.config.ConfigLoader;
import io.wasmesh.config.ListenerConfig;
import io.wasmesh.config.MeshConfig;
import io.wasmesh.config.TenantConfig;
import io.wasmesh.observability.Telemetry;
import io.wasmesh.proxy.admin.AdminServer;
import io.wasmesh.proxy.listener.ListenerVerticle;
import io.wasmesh.proxy.listener.RequestRouter;
import io.wasmesh.proxy.snapshot.ProxySnapshot;
import io.wasmesh.proxy.snapshot.SnapshotBuilder;
import io.wasmesh.proxy.snapshot.SnapshotHolder;
import io.wasmesh.proxy.snapshot.SnapshotRejectedException;
import io.wasmesh.proxy.stats.ProxyMetrics;
import io.wasmesh.proxy.telemetry.ProxyTelemetry;
import io.wasmesh.proxy.telemetry.TraceLogSink;
import io.wasmesh.proxy.upstream.ClusterHttpCalls;
import io.wasmesh.wasm.engine.DiskCodeCache;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import io.wasmesh.wasm.proxywasm.tenant.TenantRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running sidecar: listeners, the admin endpoint, the Wasm host and the current snapshot. New
 * configs are built off the event loops and swapped in atomically ({@link #reload}); a config that
 * fails to build leaves the previous one serving. {@link #shutdown} drains.
 */
public final class MeshProxy {
    /**
     * How the proxy runs. {@code configFile} (may be null) is what {@code POST /reload} re-reads;
     * {@code eventLoops} servers per listener; proxy-wasm services' VMs idle for {@code
     * serviceIdleTimeout} are released (rebuilt on demand); {@code codeCache} (may be null) keeps
     * compiled Wasm on disk across restarts (a private folder: it holds code the JVM loads); {@code
     * moduleStore} (may be null) is where modules named by digest alone are found.
     */
    public record Options(
            Path configFile,
            int eventLoops,
            Duration drainTimeout,
            WasmScheduler.Config wasm,
            Duration serviceIdleTimeout,
            Path codeCache,
            Path moduleStore,
            Telemetry telemetry) {
        /**
         * Idle Wasm workers look for work for 50 µs before parking: on the data-plane benchmark
         * this took the cost of five filters from 30 % to 1 % of requests/s (docs/benchmarks.md).
         */
        public static final long DEFAULT_IDLE_SPIN_NANOS = 50_000;

        public static Options defaults() {
            return new Options(
                    null,
                    Runtime.getRuntime().availableProcessors(),
                    Duration.ofSeconds(10),
                    WasmScheduler.Config.defaults().withIdleSpinNanos(DEFAULT_IDLE_SPIN_NANOS),
                    Duration.ofMinutes(5),
                    null,
                    null,
                    null);
        }

        public Options withConfigFile(Path file) {
            return new Options(
                    file,
                    eventLoops,
                    drainTimeout,
                    wasm,
                    serviceIdleTimeout,
                    codeCache,
                    moduleStore,
                    telemetry);
        }

        public Options withCodeCache(Path dir) {
            return new Options(
                    configFile,
                    eventLoops,
                    drainTimeout,
                    wasm,
                    serviceIdleTimeout,
                    dir,
                    moduleStore,
                    telemetry);
        }

        /** Modules named only by digest are read from {@code dir/<sha256>.wasm}. */
        public Options withModuleStore(Path dir) {
            return new Options(
                    configFile,
                    eventLoops,
                    drainTimeout,
                    wasm,
                    serviceIdleTimeout,
                    codeCache,
                    dir,
                    telemetry);
        }

        /**
         * The OpenTelemetry to use (shared, not closed by the proxy); without one the proxy makes
         * its own from the {@code OTEL_*} settings.
         */
        public Options withTelemetry(Telemetry t) {
            return new Options(
                    configFile,
                    eventLoops,
                    drainTimeout,
                    wasm,
                    serviceIdleTimeout,
                    codeCache,
                    moduleStore,
                    t);
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final WasmScheduler scheduler;
    private final TenantRegistry tenants = new TenantRegistry();
    private final ProxyWasmHost host;
    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final SnapshotBuilder builder;
    private final ProxyTelemetry telemetry;
    private final boolean ownsTelemetry;
    private final WorkerExecutor configWorker;
    private final AtomicLong revisions = new AtomicLong();
    private final List<HttpServer> servers = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> ports = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> deployments = new ArrayList<>();
    // Owned by the config worker thread: the file's config and the tenants the control plane sent.
    private MeshConfig fileConfig;
    private final Map<String, TenantConfig> pushedTenants = new LinkedHashMap<>();
    private AdminServer admin;
    private volatile boolean draining;
    private long idleTimer = -1;

    private MeshProxy(Vertx vertx, Options options) throws java.io.IOException {
        this.vertx = vertx;
        this.options = options;
        this.scheduler = new WasmScheduler(options.wasm());
        this.ownsTelemetry = options.telemetry() == null;
        this.telemetry =
                new ProxyTelemetry(
                        ownsTelemetry
                                ? Telemetry.fromEnvironment("wasmesh-proxy", "proxy")
                                : options.telemetry());
        telemetry.watch(snapshots::peek);
        telemetry.watchScheduler(scheduler, snapshots::peek);
        this.host =
                ProxyWasmHost.builder()
                        .scheduler(scheduler)
                        .tenants(tenants)
                        .httpCalls(new ClusterHttpCalls(vertx, snapshots, telemetry))
                        .logs(new TraceLogSink(LogSink.systemLogger()))
                        .failures(
                                (plugin, failure) ->
                                        telemetry.failure(
                                                plugin.tenant(), plugin.name(), failure.kind()))
                        .build();
        ModuleCache modules =
                new ModuleCache(
                        ModuleCache.DEFAULT_MAX_MODULE_BYTES,
                        options.codeCache() == null
                                ? null
                                : new DiskCodeCache(options.codeCache()));
        Path store = options.moduleStore();
        this.builder =
                new SnapshotBuilder(
                        vertx,
                        host,
                        modules,
                        metrics,
                        store == null
                                ? null
                                : sha -> {
                                    Path file = store.resolve(sha + ".wasm");
                                    return java.nio.file.Files.isRegularFile(file) ? file : null;
                                });
        // One thread builds snapshots, so reloads apply in the order they were asked for.
        this.configWorker = vertx.createSharedWorkerExecutor("wasmesh-config", 1);
    }

    /**
     * Builds the first snapshot, then opens the admin port and the listeners. Fails (with every
     * reason) when the config cannot be put in service.
     */
    public static Future<MeshProxy> start(Vertx vertx, MeshConfig config, Options options) {
        MeshProxy proxy;
        try {
            proxy = new MeshProxy(vertx, options);
        } catch (java.io.IOException e) {
            return Future.failedFuture(
                    new java.io.IOException("cannot use the code cache " + options.codeCache(), e));
        }
        return proxy.change(() -> proxy.fileConfig = config, null)
                .compose(v -> proxy.openPorts(config))
                .map(
                        v -> {
                            long every =
                                    Math.max(
                                            1000,
                                            Math.min(
                                                    30_000,
                                                    options.serviceIdleTimeout().toMillis() / 2));
                            proxy.idleTimer =
                                    vertx.setPeriodic(every, t -> proxy.releaseIdleServices());
                            return proxy;
                        })
                .onFailure(e -> proxy.releaseWasm());
    }

    /**
     * Runs one config change on the config worker: {@code edit} changes the inputs (file config,
     * pushed tenants), then the whole config is rebuilt, carrying over every tenant not named in
     * {@code rebuild} (null: rebuild all), and swapped in, all on that one thread, so changes apply
     * in the order they were asked for and none builds on a snapshot that another is replacing. On
     * failure the inputs are restored and the previous snapshot keeps serving.
     */
    private Future<ProxySnapshot> change(Runnable edit, java.util.Set<String> rebuild) {
        return configWorker.executeBlocking(
                () -> {
                    MeshConfig savedFile = fileConfig;
                    Map<String, TenantConfig> savedPushed = new LinkedHashMap<>(pushedTenants);
                    edit.run();
                    try {
                        MeshConfig whole = merged();
                        ProxySnapshot current = snapshots.peek();
                        ProxySnapshot next =
                                rebuild == null || current == null
                                        ? builder.build(whole, revisions.incrementAndGet())
                                        : builder.build(
                                                whole,
                                                revisions.incrementAndGet(),
                                                current,
                                                rebuild);
                        putInService(next);
                        return next;
                    } catch (Exception e) {
                        fileConfig = savedFile;
                        pushedTenants.clear();
                        pushedTenants.putAll(savedPushed);
                        throw e;
                    }
                },
                true);
    }

    /** The file's config with the pushed tenants added; a name or domain clash is refused. */
    private MeshConfig merged() throws SnapshotRejectedException {
        List<TenantConfig> all = new ArrayList<>(fileConfig.tenants());
        List<String> clashes = new ArrayList<>();
        java.util.Set<String> domains = new java.util.HashSet<>();
        for (TenantConfig t : fileConfig.tenants()) {
            domains.addAll(t.domains());
        }
        for (TenantConfig t : pushedTenants.values()) {
            if (fileConfig.tenant(t.name()) != null) {
                clashes.add("tenant " + t.name() + " is also defined in the proxy's config file");
            }
            for (String d : t.domains()) {
                if (!domains.add(d)) {
                    clashes.add(
                            "tenant " + t.name() + ": domain " + d + " belongs to another tenant");
                }
            }
            all.add(t);
        }
        if (!clashes.isEmpty()) {
            throw new SnapshotRejectedException(clashes);
        }
        return new MeshConfig(
                fileConfig.version(), fileConfig.admin(), fileConfig.listeners(), all);
    }

    /**
     * Swaps {@code snapshot} in, then applies what lives outside snapshots: each tenant's
     * shared-data quota (shared data outlives config changes, as in Envoy).
     */
    private void putInService(ProxySnapshot snapshot) {
        snapshots.swap(snapshot);
        for (var t : snapshot.config().tenants()) {
            tenants.tenant(t.name()).setSharedDataBytes(t.limits().sharedDataBytes());
        }
    }

    private Future<Void> openPorts(MeshConfig config) {
        admin =
                new AdminServer(
                        vertx,
                        snapshots,
                        metrics,
                        tenants,
                        () -> draining,
                        this::reloadFromFile,
                        telemetry.telemetry()::prometheusText);
        Future<?> adminUp = admin.listen(config.admin().address(), config.admin().port());
        RequestRouter router = new RequestRouter(snapshots, metrics, telemetry);
        List<Future<?>> all = new ArrayList<>();
        all.add(adminUp);
        for (ListenerConfig l : config.listeners()) {
            int instances = l.port() == 0 ? 1 : Math.max(1, options.eventLoops());
            all.add(
                    vertx.deployVerticle(
                                    () ->
                                            new ListenerVerticle(
                                                    l,
                                                    router,
                                                    server -> {
                                                        servers.add(server);
                                                        ports.put(l.name(), server.actualPort());
                                                    }),
                                    new DeploymentOptions().setInstances(instances))
                            .onSuccess(deployments::add));
        }
        return Future.all(all).mapEmpty();
    }

    /**
     * Puts {@code next} in service: new requests use it, in-flight ones finish on the previous
     * snapshot. Completes with the new revision; fails, with the previous config still serving,
     * when it cannot be built or changes what needs a restart (listeners, admin).
     */
    public Future<Long> reload(MeshConfig next) {
        MeshConfig current = snapshots.peek().config();
        // Only the file's part is reloaded: tenants pushed by the control plane stay.
        if (!next.listeners().equals(current.listeners())
                || !next.admin().equals(current.admin())) {
            return Future.failedFuture(
                    "listeners and the admin endpoint cannot change without a restart");
        }
        return change(() -> fileConfig = next, null)
                .map(
                        snapshot -> {
                            metrics.increment("wasmesh_config_reloads_total", "result", "applied");
                            return snapshot.revision();
                        })
                .onFailure(
                        e ->
                                metrics.increment(
                                        "wasmesh_config_reloads_total", "result", "rejected"));
    }

    /**
     * Puts a tenant pushed by the control plane in service (added, or replacing its previous
     * version), leaving every other tenant's runtime as it is. Fails, with the previous version
     * still serving, when it cannot be built (a filter refusing its configuration, a module
     * missing) or clashes with another tenant.
     */
    public Future<Long> applyTenant(TenantConfig tenant) {
        return change(
                        () -> pushedTenants.put(tenant.name(), tenant),
                        java.util.Set.of(tenant.name()))
                .map(ProxySnapshot::revision);
    }

    /** Takes a pushed tenant out of service; in-flight requests finish on the old snapshot. */
    public Future<Long> removeTenant(String name) {
        return change(() -> pushedTenants.remove(name), java.util.Set.of())
                .map(ProxySnapshot::revision);
    }

    /** Re-reads the config file given at start and reloads it. */
    public Future<Long> reloadFromFile() {
        if (options.configFile() == null) {
            return Future.failedFuture("this proxy was not started from a config file");
        }
        return configWorker
                .executeBlocking(() -> ConfigLoader.load(options.configFile()), true)
                .compose(this::reload);
    }

    /**
     * Releases the VMs of proxy-wasm services idle for the configured timeout (runs periodically;
     * public for tests and tools). Completes with how many were released.
     */
    public CompletableFuture<Integer> releaseIdleServices() {
        return releaseIdleServices(options.serviceIdleTimeout());
    }

    public CompletableFuture<Integer> releaseIdleServices(Duration idleFor) {
        ProxySnapshot s = snapshots.acquire();
        if (s == null) {
            return CompletableFuture.completedFuture(0);
        }
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (var tenant : s.tenants().values()) {
            for (var service : tenant.services().values()) {
                all.add(service.releaseIdle(idleFor));
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> all.stream().mapToInt(CompletableFuture::join).sum())
                .whenComplete((n, e) -> s.release());
    }

    public long revision() {
        ProxySnapshot s = snapshots.peek();
        return s == null ? 0 : s.revision();
    }

    /** The port listener {@code name} is bound to (useful with port 0). */
    public int port(String listenerName) {
        Integer p = ports.get(listenerName);
        if (p == null) {
            throw new IllegalArgumentException("no listener " + listenerName);
        }
        return p;
    }

    public int adminPort() {
        return admin.port();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /**
     * Drains: {@code /ready} turns 503, listeners stop accepting and in-flight requests get up to
     * the drain timeout to finish; then everything closes.
     */
    public Future<Void> shutdown() {
        draining = true;
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        long drainMillis = options.drainTimeout().toMillis();
        List<Future<Void>> closing = new ArrayList<>();
        synchronized (servers) {
            for (HttpServer s : servers) {
                closing.add(s.shutdown(drainMillis, TimeUnit.MILLISECONDS));
            }
        }
        Promise<Void> done = Promise.promise();
        Future.join(closing)
                .onComplete(
                        v -> {
                            List<Future<?>> rest = new ArrayList<>();
                            for (String id : deployments) {
                                rest.add(vertx.undeploy(id));
                            }
                            if (admin != null) {
                                rest.add(admin.close());
                            }
                            Future.join(rest)
                                    .onComplete(
                                            x -> {
                                                snapshots.clear();
                                                configWorker.close();
                                                releaseWasm();
                                                done.complete();
                                            });
                        });
        return done.future();
    }

    /** The proxy's telemetry (the control-plane sync reports applied revisions to it). */
    public ProxyTelemetry telemetry() {
        return telemetry;
    }

    private void releaseWasm() {
        host.close();
        scheduler.close();
        if (ownsTelemetry) {
            telemetry.telemetry().close();
        }
    }
}
