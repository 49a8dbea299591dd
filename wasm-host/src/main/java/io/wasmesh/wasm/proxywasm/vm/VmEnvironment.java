package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import io.wasmesh.wasm.proxywasm.spi.TickScheduler;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;

/**
 * What a VM is built from: its module and plugin, its tenant's state, the embedder's services, and
 * its lane.
 */
public record VmEnvironment(
        CompiledModule module,
        PluginConfig config,
        TenantState tenant,
        HttpCallDispatcher httpCalls,
        TickScheduler ticks,
        LogSink logs,
        Lane lane,
        FailureListener onFailure) {

    /** Told when a VM fails outside a stream's own callback, about the streams it was holding. */
    @FunctionalInterface
    public interface FailureListener {
        void vmFailed(
                ProxyWasmVm vm,
                io.wasmesh.wasm.engine.GuestFailure failure,
                java.util.List<StreamState> held);

        /**
         * The failing callback belonged to no stream (a tick, a queue, an answer to the root
         * context): nobody else will count it.
         */
        default void failedOutsideStreams(io.wasmesh.wasm.engine.GuestFailure failure) {}
    }
}
