package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/** Shared key-value data with CAS, scoped to the plugin's tenant and vm_id. */
final class SharedDataCalls {
    /** Larger values are refused: shared data is for counters and small state, not blobs. */
    static final int MAX_VALUE_BYTES = 1 << 20;

    private SharedDataCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        SharedData data = vm.tenant().sharedData();
        String vmId = vm.config().vmId();
        fns.env(
                "proxy_get_shared_data",
                5,
                a -> {
                    String key = vm.memory().readString(i32(a, 0), i32(a, 1));
                    vm.memory().check(i32(a, 4), 4);
                    SharedData.Entry e = data.get(vmId, key);
                    if (e == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    vm.memory().returnBytes(e.value(), i32(a, 2), i32(a, 3));
                    vm.memory().writeU32(i32(a, 4), (int) e.cas());
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_set_shared_data",
                5,
                a -> {
                    String key = vm.memory().readString(i32(a, 0), i32(a, 1));
                    vm.memory().check(i32(a, 2), i32(a, 3));
                    if (Integer.toUnsignedLong(i32(a, 3)) > MAX_VALUE_BYTES) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    byte[] value = vm.memory().read(i32(a, 2), i32(a, 3));
                    long cas = Integer.toUnsignedLong(i32(a, 4));
                    switch (data.set(vmId, key, value, cas)) {
                        case OK:
                            return WasmResult.OK;
                        case CAS_MISMATCH:
                            return WasmResult.CAS_MISMATCH;
                        default:
                            vm.log(
                                    io.wasmesh.wasm.proxywasm.abi.LogLevel.WARN,
                                    "shared data quota of tenant "
                                            + vm.config().tenant()
                                            + " reached");
                            return WasmResult.BAD_ARGUMENT;
                    }
                });
    }
}
