package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.spi.FailureSink;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import io.wasmesh.wasm.proxywasm.spi.TickScheduler;
import io.wasmesh.wasm.proxywasm.tenant.TenantRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The proxy-wasm host of one process: the Wasm workers, every tenant's shared state, and the
 * embedder's services (HTTP calls, timers, logs). Plugins started here run their VMs on its
 * workers.
 */
public final class ProxyWasmHost implements AutoCloseable {
    private final WasmScheduler scheduler;
    private final TenantRegistry tenants;
    private final HttpCallDispatcher httpCalls;
    private final TickScheduler ticks;
    private final LogSink logs;
    private final FailureSink failures;
    private final boolean ownsScheduler;

    private ProxyWasmHost(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler =
                ownsScheduler ? new WasmScheduler(WasmScheduler.Config.defaults()) : b.scheduler;
        this.tenants = b.tenants;
        this.httpCalls = b.httpCalls;
        this.ticks = b.ticks;
        this.logs = b.logs;
        this.failures = b.failures;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a plugin: its first VM is built and configured before the future completes, so a
     * module that is not a proxy-wasm module, or refuses its configuration, fails here ({@link
     * PluginRejectedException}) and not on the first request.
     */
    public CompletableFuture<ProxyWasmPlugin> startPlugin(
            CompiledModule module, PluginConfig config) {
        ProxyWasmPlugin plugin =
                new ProxyWasmPlugin(module, config, tenants.tenant(config.tenant()), this);
        return plugin.startFirstVm().thenApply(ignored -> plugin);
    }

    /**
     * Starts a plugin whose VMs live on {@code lanes}, one VM per lane, instead of lanes of its
     * own. A filter chain gives all its plugins the same lanes, so one task on one lane can run a
     * whole phase of the chain (every plugin's request-headers callback) without a thread hop
     * between plugins. The caller owns the lanes; closing the plugin leaves them open. {@link
     * PluginConfig#vmCount()} is ignored: there is one VM per lane.
     */
    public CompletableFuture<ProxyWasmPlugin> startPlugin(
            CompiledModule module, PluginConfig config, java.util.List<Lane> lanes) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("a plugin needs at least one lane");
        }
        ProxyWasmPlugin plugin =
                new ProxyWasmPlugin(module, config, tenants.tenant(config.tenant()), this, lanes);
        return plugin.startFirstVm().thenApply(ignored -> plugin);
    }

    /** The scheduler whose workers run this host's guests. */
    public WasmScheduler scheduler() {
        return scheduler;
    }

    HttpCallDispatcher httpCalls() {
        return httpCalls;
    }

    TickScheduler ticks() {
        return ticks;
    }

    LogSink logs() {
        return logs;
    }

    FailureSink failures() {
        return failures;
    }

    public TenantRegistry tenants() {
        return tenants;
    }

    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    /** Builds a {@link ProxyWasmHost}; every part has a working default. */
    public static final class Builder {
        private WasmScheduler scheduler;
        private TenantRegistry tenants = new TenantRegistry();
        private HttpCallDispatcher httpCalls = HttpCallDispatcher.NONE;
        private TickScheduler ticks = TickScheduler.daemonTimer();
        private LogSink logs = LogSink.systemLogger();
        private FailureSink failures = FailureSink.NONE;

        /** Shares an existing worker pool (the host then does not close it). */
        public Builder scheduler(WasmScheduler v) {
            scheduler = v;
            return this;
        }

        public Builder tenants(TenantRegistry v) {
            tenants = v;
            return this;
        }

        public Builder httpCalls(HttpCallDispatcher v) {
            httpCalls = v;
            return this;
        }

        public Builder ticks(TickScheduler v) {
            ticks = v;
            return this;
        }

        public Builder logs(LogSink v) {
            logs = v;
            return this;
        }

        /** Who counts VM failures outside streams' callbacks (ticks, queues, call answers). */
        public Builder failures(FailureSink v) {
            failures = v;
            return this;
        }

        public ProxyWasmHost build() {
            return new ProxyWasmHost(this);
        }
    }
}
