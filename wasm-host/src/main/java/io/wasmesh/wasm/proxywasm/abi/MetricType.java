package io.wasmesh.wasm.proxywasm.abi;

/** {@code proxy_metric_type_t}. */
public enum MetricType {
    COUNTER,
    GAUGE,
    HISTOGRAM;

    public static MetricType of(int value) {
        return value >= 0 && value < values().length ? values()[value] : null;
    }
}
