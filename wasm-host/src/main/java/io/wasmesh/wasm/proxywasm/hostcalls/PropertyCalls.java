package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code proxy_get_property} and {@code proxy_set_property}; see {@link Properties} for names and
 * encodings.
 */
final class PropertyCalls {
    private static final int MAX_STATE_ENTRIES = 256;
    private static final int MAX_VALUE_BYTES = 64 << 10;

    private PropertyCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        Map<String, byte[]> rootState = new HashMap<>();
        fns.env(
                "proxy_get_property",
                4,
                a -> {
                    List<String> path =
                            Properties.parsePath(vm.memory().readString(i32(a, 0), i32(a, 1)));
                    vm.memory().check(i32(a, 2), 4);
                    vm.memory().check(i32(a, 3), 4);
                    byte[] value = Properties.get(vm, path, rootState);
                    if (value == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    vm.memory().returnBytes(value, i32(a, 2), i32(a, 3));
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_set_property",
                4,
                a -> {
                    List<String> path =
                            Properties.parsePath(vm.memory().readString(i32(a, 0), i32(a, 1)));
                    byte[] value = vm.memory().read(i32(a, 2), i32(a, 3));
                    if (path.isEmpty() || value.length > MAX_VALUE_BYTES) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    StreamState s = vm.effectiveStream();
                    Map<String, byte[]> state = s != null ? s.filterState() : rootState;
                    if (state.size() >= MAX_STATE_ENTRIES
                            && !state.containsKey(Properties.stateKey(path))) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    state.put(Properties.stateKey(path), value);
                    return WasmResult.OK;
                });
    }
}
