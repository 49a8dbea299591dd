package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/**
 * gRPC calls are linked, so modules that import them (every Rust SDK module does) load, and answer
 * UNIMPLEMENTED: this host has no gRPC client yet. Filters that only import them are unaffected.
 */
final class GrpcCalls {
    private GrpcCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env("proxy_grpc_call", 12, a -> WasmResult.UNIMPLEMENTED);
        fns.env("proxy_grpc_stream", 9, a -> WasmResult.UNIMPLEMENTED);
        fns.env("proxy_grpc_send", 4, a -> WasmResult.UNIMPLEMENTED);
        fns.env("proxy_grpc_cancel", 1, a -> WasmResult.UNIMPLEMENTED);
        fns.env("proxy_grpc_close", 1, a -> WasmResult.UNIMPLEMENTED);
    }
}
