package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/** {@code proxy_set_effective_context} and {@code proxy_done}. */
final class ContextCalls {
    private ContextCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_set_effective_context",
                1,
                a -> vm.setEffectiveContext(i32(a, 0)) ? WasmResult.OK : WasmResult.BAD_ARGUMENT);
        fns.env("proxy_done", 0, a -> vm.done() ? WasmResult.OK : WasmResult.NOT_FOUND);
    }
}
