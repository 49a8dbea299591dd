package io.wasmesh.wasm.proxywasm.hostcalls;

import static io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions.i32;

import io.wasmesh.wasm.proxywasm.abi.MetricType;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.tenant.Metrics;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import run.endive.wasm.types.ValType;

/**
 * Metrics in the tenant's registry, with Envoy's rules: counters only go up (a negative increment
 * is BAD_ARGUMENT), recording on a counter adds, on a gauge sets, on a histogram samples; a
 * histogram cannot be read.
 */
final class MetricCalls {
    private static final int MAX_NAME_BYTES = 256;

    private MetricCalls() {}

    static void register(HostFunctions fns, ProxyWasmVm vm) {
        Metrics metrics = vm.tenant().metrics();
        fns.env(
                "proxy_define_metric",
                4,
                a -> {
                    MetricType type = MetricType.of(i32(a, 0));
                    if (type == null || Integer.toUnsignedLong(i32(a, 2)) > MAX_NAME_BYTES) {
                        vm.memory().check(i32(a, 1), i32(a, 2));
                        return WasmResult.BAD_ARGUMENT;
                    }
                    String name = vm.memory().readString(i32(a, 1), i32(a, 2));
                    vm.memory().check(i32(a, 3), 4);
                    int id = metrics.define(type, name);
                    if (id < 0) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    vm.memory().writeU32(i32(a, 3), id);
                    return WasmResult.OK;
                });
        ValType[] idAndValue = {ValType.I32, ValType.I64};
        fns.env(
                "proxy_record_metric",
                idAndValue,
                a -> {
                    Metrics.Metric m = metrics.get(i32(a, 0));
                    if (m == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    if (m.type() == MetricType.COUNTER && a[1] < 0) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    metrics.record(m, a[1]);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_increment_metric",
                idAndValue,
                a -> {
                    Metrics.Metric m = metrics.get(i32(a, 0));
                    if (m == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    if (m.type() == MetricType.HISTOGRAM
                            || (m.type() == MetricType.COUNTER && a[1] < 0)) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    metrics.increment(m, a[1]);
                    return WasmResult.OK;
                });
        fns.env(
                "proxy_get_metric",
                2,
                a -> {
                    Metrics.Metric m = metrics.get(i32(a, 0));
                    if (m == null) {
                        return WasmResult.NOT_FOUND;
                    }
                    if (m.type() == MetricType.HISTOGRAM) {
                        return WasmResult.BAD_ARGUMENT;
                    }
                    vm.memory().writeU64(i32(a, 1), m.value());
                    return WasmResult.OK;
                });
    }
}
