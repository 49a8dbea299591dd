package io.wasmesh.wasm.proxywasm.abi;

import java.util.Locale;

/** {@code proxy_log_level_t}, in ABI order. */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    CRITICAL;

    public static LogLevel of(int value) {
        return value >= 0 && value < values().length ? values()[value] : null;
    }

    public static LogLevel parse(String name) {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
    }
}
