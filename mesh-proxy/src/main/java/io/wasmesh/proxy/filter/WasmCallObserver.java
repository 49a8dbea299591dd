package io.wasmesh.proxy.filter;

import io.opentelemetry.context.Scope;
import io.wasmesh.proxy.telemetry.WasmPhase;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.proxywasm.FilterResult;

/**
 * Watches every filter callback of one stream, on the stream's lane: {@link #enter} before (what it
 * returns is closed right after the callback, so a traced call's span is current while the guest
 * runs and its {@code http_call}s and logs join it), {@link #exit} after.
 */
public interface WasmCallObserver {
    Scope enter(int plugin, WasmPhase phase);

    void exit(
            int plugin,
            WasmPhase phase,
            long startNanos,
            FilterResult result,
            GuestFailure failure);

    WasmCallObserver NONE =
            new WasmCallObserver() {
                @Override
                public Scope enter(int plugin, WasmPhase phase) {
                    return Scope.noop();
                }

                @Override
                public void exit(
                        int plugin,
                        WasmPhase phase,
                        long startNanos,
                        FilterResult result,
                        GuestFailure failure) {}
            };
}
