package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * {@code proxy_call_foreign_function} (no foreign functions are registered, so every name is
 * NOT_FOUND, as Envoy answers an unknown one) and the two helpers cpp-host gives every module:
 * emscripten's memory-growth hook and {@code pthread_equal}.
 */
final class ForeignFunctionCalls {
    private ForeignFunctionCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_call_foreign_function",
                6,
                a -> {
                    vm.memory().check(i32(a, 0), i32(a, 1));
                    vm.memory().check(i32(a, 2), i32(a, 3));
                    return WasmResult.NOT_FOUND;
                });
        fns.add(
                "env",
                "emscripten_notify_memory_growth",
                FunctionType.of(new ValType[] {ValType.I32}, new ValType[0]),
                (instance, args) -> null);
        fns.add(
                "env",
                "pthread_equal",
                FunctionType.of(
                        new ValType[] {ValType.I32, ValType.I32}, new ValType[] {ValType.I32}),
                (instance, args) -> new long[] {args[0] == args[1] ? 1 : 0});
    }
}
