package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import java.time.Instant;

/** The wall clock ({@code proxy_get_current_time_nanoseconds}) and the tick timer. */
final class TimeCalls {
    private TimeCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_get_current_time_nanoseconds",
                1,
                a -> {
                    Instant now = Instant.now();
                    vm.memory()
                            .writeU64(
                                    i32(a, 0),
                                    now.getEpochSecond() * 1_000_000_000L + now.getNano());
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_set_tick_period_milliseconds",
                1,
                a -> {
                    vm.setTickPeriod(Integer.toUnsignedLong(i32(a, 0)));
                    return WasmResult.OK;
                });
    }
}
