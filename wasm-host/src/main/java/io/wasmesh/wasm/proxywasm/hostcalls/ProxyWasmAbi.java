package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import run.endive.wasi.WasiPreview1;

/** Every host function this host offers a proxy-wasm module, by area. */
public final class ProxyWasmAbi {
    private ProxyWasmAbi() {}

    public static HostFunctions forVm(ProxyWasmVm vm, WasiPreview1 wasi) {
        HostFunctions fns = new HostFunctions();
        ContextCalls.register(fns, vm);
        LogCalls.register(fns, vm);
        TimeCalls.register(fns, vm);
        BufferCalls.register(fns, vm);
        HeaderMapCalls.register(fns, vm);
        StreamCalls.register(fns, vm);
        HttpCallCalls.register(fns, vm);
        GrpcCalls.register(fns, vm);
        SharedDataCalls.register(fns, vm);
        SharedQueueCalls.register(fns, vm);
        MetricCalls.register(fns, vm);
        PropertyCalls.register(fns, vm);
        ForeignFunctionCalls.register(fns, vm);
        WasiCalls.register(fns, wasi);
        return fns;
    }
}
