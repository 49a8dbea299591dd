package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;

/** {@code proxy_log} and {@code proxy_get_log_level}. */
final class LogCalls {
    /** Longer messages are cut: a filter must not be able to flood the host's log with one call. */
    static final int MAX_MESSAGE_BYTES = 16 << 10;

    private LogCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        fns.env(
                "proxy_log",
                3,
                a -> {
                    LogLevel level = LogLevel.of(i32(a, 0));
                    if (level == null) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    int ptr = i32(a, 1);
                    int len = i32(a, 2);
                    vm.memory().check(ptr, len);
                    if (level.compareTo(vm.config().logLevel()) < 0) {
                        return WasmResult.OK; // below the level: do not even copy it
                    }
                    long n = Integer.toUnsignedLong(len);
                    String message =
                            vm.memory().readString(ptr, (int) Math.min(n, MAX_MESSAGE_BYTES));
                    if (n > MAX_MESSAGE_BYTES) {
                        message += "... (" + (n - MAX_MESSAGE_BYTES) + " more bytes cut)";
                    }
                    vm.log(level, message);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_get_log_level",
                1,
                a -> {
                    vm.memory().writeU32(i32(a, 0), vm.config().logLevel().ordinal());
                    return WasmResult.OK;
                });
    }
}
