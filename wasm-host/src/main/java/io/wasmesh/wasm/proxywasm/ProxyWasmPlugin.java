package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import io.wasmesh.wasm.proxywasm.vm.VmEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running plugin: {@code vmCount} VMs of its module, each on its own lane, and the streams spread
 * over them. A stream stays on the VM it started on for its whole life (proxy-wasm keeps stream
 * state inside the VM).
 *
 * <p>A VM that fails is discarded and rebuilt on its lane when a stream next needs it; with {@link
 * FailurePolicy#RELOAD} rebuilds back off exponentially.
 */
public final class ProxyWasmPlugin implements AutoCloseable {
    private static final long BACKOFF_BASE_NANOS = 100_000_000L; // 100 ms
    private static final long BACKOFF_MAX_NANOS = 30_000_000_000L; // 30 s

    private final CompiledModule module;
    private final PluginConfig config;
    private final TenantState tenant;
    private final ProxyWasmHost host;
    private final Slot[] slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final PluginStats stats = new PluginStats();
    private final boolean ownsLanes;

    /** One VM place: the lane and, confined to it, the current VM. */
    final class Slot {
        final Lane lane;
        ProxyWasmVm vm;
        int consecutiveFailures;
        long rebuildNotBefore;
        long lastUsedNanos = System.nanoTime();
        GuestFailure lastNoted;

        Slot(Lane lane) {
            this.lane = lane;
        }

        /** The live VM, built if needed. Runs on the lane. */
        ProxyWasmVm vm() {
            lastUsedNanos = System.nanoTime();
            if (vm != null && !vm.failed()) {
                return vm;
            }
            if (vm != null) {
                vm.close();
                vm = null;
            }
            if (config.failurePolicy() == FailurePolicy.RELOAD
                    && System.nanoTime() - rebuildNotBefore < 0) {
                throw new GuestFailure(
                        GuestFailure.Kind.HOST_ERROR, "VM is backing off before reload", null);
            }
            try {
                vm = ProxyWasmVm.start(environment(this));
                stats.vmStarted();
                return vm;
            } catch (GuestFailure e) {
                noteFailure(e);
                throw e;
            }
        }

        void noteFailure(GuestFailure e) {
            if (e == lastNoted) {
                return; // seen both by the failing call and by the streams it held
            }
            lastNoted = e;
            stats.failure(e.kind());
            consecutiveFailures++;
            long backoff =
                    Math.min(
                            BACKOFF_MAX_NANOS,
                            BACKOFF_BASE_NANOS << Math.min(20, consecutiveFailures - 1));
            rebuildNotBefore = System.nanoTime() + backoff;
        }
    }

    /** A plugin with {@code vmCount} lanes of its own. */
    ProxyWasmPlugin(
            CompiledModule module, PluginConfig config, TenantState tenant, ProxyWasmHost host) {
        this(module, config, tenant, host, ownLanes(host, config), true);
    }

    /** A plugin on lanes the caller owns (a filter chain's). */
    ProxyWasmPlugin(
            CompiledModule module,
            PluginConfig config,
            TenantState tenant,
            ProxyWasmHost host,
            List<Lane> lanes) {
        this(module, config, tenant, host, lanes, false);
    }

    private ProxyWasmPlugin(
            CompiledModule module,
            PluginConfig config,
            TenantState tenant,
            ProxyWasmHost host,
            List<Lane> lanes,
            boolean ownsLanes) {
        this.module = module;
        this.config = config;
        this.tenant = tenant;
        this.host = host;
        this.slots = new Slot[lanes.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(lanes.get(i));
        }
        this.ownsLanes = ownsLanes;
    }

    private static List<Lane> ownLanes(ProxyWasmHost host, PluginConfig config) {
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < config.vmCount(); i++) {
            lanes.add(host.scheduler().newLane(config.tenant()));
        }
        return lanes;
    }

    private VmEnvironment environment(Slot slot) {
        return new VmEnvironment(
                module,
                config,
                tenant,
                host.httpCalls(),
                host.ticks(),
                host.logs(),
                slot.lane,
                new VmEnvironment.FailureListener() {
                    @Override
                    public void vmFailed(
                            ProxyWasmVm vm, GuestFailure failure, List<StreamState> held) {
                        ProxyWasmPlugin.this.vmFailed(slot, failure, held);
                    }

                    @Override
                    public void failedOutsideStreams(GuestFailure failure) {
                        host.failures().vmFailed(config, failure);
                    }
                });
    }

    CompletableFuture<Void> startFirstVm() {
        Slot first = slots[0];
        return first.lane.submit(
                () -> {
                    first.vm();
                    return null;
                });
    }

    public PluginConfig config() {
        return config;
    }

    public CompiledModule module() {
        return module;
    }

    /**
     * Live VMs and their linear memory, read from another thread for gauges: a VM started or
     * released meanwhile may be missed until the next reading.
     */
    public record Footprint(int vms, long memoryBytes) {}

    public Footprint footprint() {
        int vms = 0;
        long bytes = 0;
        for (Slot slot : slots) {
            ProxyWasmVm vm = slot.vm;
            if (vm != null && !vm.failed()) {
                vms++;
                bytes += vm.memoryBytes();
            }
        }
        return new Footprint(vms, bytes);
    }

    public PluginStats stats() {
        return stats;
    }

    /**
     * A new stream on the next VM (round robin). {@code observer} hears about asynchronous resumes
     * and replies.
     */
    public HttpStream newStream(StreamObserver observer, StreamInfo info) {
        Slot slot = slots[Math.floorMod(nextSlot.getAndIncrement(), slots.length)];
        return new HttpStream(this, slot, new StreamState(observer, info));
    }

    /**
     * A new stream on the VM of lane number {@code laneIndex} (of the lanes the plugin was started
     * on): how a filter chain keeps all of a stream's plugins on one lane.
     */
    public HttpStream newStream(StreamObserver observer, StreamInfo info, int laneIndex) {
        return new HttpStream(this, slots[laneIndex], new StreamState(observer, info));
    }

    /**
     * Applies the failure policy to a stream whose VM failed; returns what the stream answers now.
     */
    FilterResult failStream(
            Slot slot, RuntimeException error, HttpStream stream, byte[] passthrough) {
        if (error instanceof GuestFailure && slot.vm != null && slot.vm.failure() == error) {
            slot.noteFailure((GuestFailure) error);
        }
        if (!(error instanceof GuestFailure)) {
            host.logs().log(config, LogLevel.ERROR, error.getMessage());
        }
        if (config.failurePolicy() == FailurePolicy.FAIL_OPEN) {
            stats.failedOpen();
            stream.bypass();
            return FilterResult.continueWith(passthrough);
        }
        stats.failedClosed();
        stream.bypass(); // its VM is gone: the local reply passes its response callbacks
        return FilterResult.localReply(failClosedReply());
    }

    private LocalReply failClosedReply() {
        return LocalReply.of(503, "wasm_plugin_failed", "filter " + config.name() + " failed\n");
    }

    private void vmFailed(Slot slot, GuestFailure failure, List<StreamState> held) {
        slot.noteFailure(failure);
        for (StreamState s : new ArrayList<>(held)) {
            if (s.onVmFailure != null) {
                s.onVmFailure.accept(failure);
            }
        }
    }

    /** Called (on the lane) for a stream held by a VM that failed in another callback. */
    void failHeldStream(HttpStream stream, StreamState state) {
        if (config.failurePolicy() == FailurePolicy.FAIL_OPEN) {
            stats.failedOpen();
            stream.bypass();
            for (int dir = 0; dir < 2; dir++) {
                if (state.isPaused(dir)) {
                    state.observerResume(dir);
                }
            }
        } else {
            stats.failedClosed();
            stream.bypass();
            state.observerLocalReply(failClosedReply());
        }
    }

    /**
     * Closes VMs that have served no stream for {@code idleFor} and hold nothing (no stream, tick
     * or call in flight): their memory goes back to the heap and the next stream builds a fresh VM.
     * Completes with how many were released.
     */
    public CompletableFuture<Integer> releaseIdle(java.time.Duration idleFor) {
        List<CompletableFuture<Integer>> released = new ArrayList<>();
        long now = System.nanoTime();
        for (Slot slot : slots) {
            if (slot.lane.isClosed()) {
                continue;
            }
            released.add(
                    slot.lane.submit(
                            () -> {
                                if (slot.vm == null
                                        || !slot.vm.idle()
                                        || now - slot.lastUsedNanos < idleFor.toNanos()) {
                                    return 0;
                                }
                                slot.vm.close();
                                slot.vm = null;
                                stats.vmReleased();
                                return 1;
                            }));
        }
        return CompletableFuture.allOf(released.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> released.stream().mapToInt(CompletableFuture::join).sum());
    }

    /**
     * Completes once every task queued on the plugin's lanes so far has run (for tests and tools).
     */
    public CompletableFuture<Void> barrier() {
        List<CompletableFuture<Object>> all = new ArrayList<>();
        for (Slot slot : slots) {
            all.add(slot.lane.submit(() -> null));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Closes every VM ({@code on_done}, {@code on_delete}) on its lane. */
    public CompletableFuture<Void> closeAsync() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Slot slot : slots) {
            closing.add(
                    slot.lane.submit(
                            () -> {
                                if (slot.vm != null) {
                                    slot.vm.close();
                                    slot.vm = null;
                                }
                                if (ownsLanes) {
                                    slot.lane.close();
                                }
                                return null;
                            }));
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public void close() {
        closeAsync().join();
    }
}
