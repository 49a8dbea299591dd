package io.wasmesh.wasm.proxywasm.spi;

import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;

/**
 * Where filters' logs go: {@code proxy_log} and the lines they write to stdout (INFO) and stderr
 * (ERROR).
 */
@FunctionalInterface
public interface LogSink {
    void log(PluginConfig plugin, LogLevel level, String message);

    /** Logs through {@link System.Logger} named {@code wasmesh.filter.<tenant>.<plugin>}. */
    static LogSink systemLogger() {
        return (plugin, level, message) -> {
            System.Logger logger =
                    System.getLogger("wasmesh.filter." + plugin.tenant() + "." + plugin.name());
            System.Logger.Level l;
            switch (level) {
                case TRACE:
                    l = System.Logger.Level.TRACE;
                    break;
                case DEBUG:
                    l = System.Logger.Level.DEBUG;
                    break;
                case INFO:
                    l = System.Logger.Level.INFO;
                    break;
                case WARN:
                    l = System.Logger.Level.WARNING;
                    break;
                default:
                    l = System.Logger.Level.ERROR;
            }
            logger.log(l, message);
        };
    }
}
