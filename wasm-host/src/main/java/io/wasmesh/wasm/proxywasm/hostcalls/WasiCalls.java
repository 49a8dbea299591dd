package io.wasmesh.wasm.proxywasm.hostcalls;

import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Set;
import run.endive.runtime.HostFunction;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;

/**
 * WASI preview 1 for filters, under both {@code wasi_snapshot_preview1} and the older {@code
 * wasi_unstable}, with safe defaults: no host environment (only what the plugin config gives), no
 * arguments, no preopened directories, empty stdin, stdout into the filter's log at INFO and stderr
 * at ERROR. Clocks and random are real. The socket calls and {@code proc_raise}, which Endive
 * implements by throwing, answer ENOTSUP instead.
 */
public final class WasiCalls {
    /** WASI's ENOTSUP errno. */
    public static final int ENOTSUP = 58;

    /**
     * WASI functions Endive implements by throwing (sockets, {@code proc_raise}): guests get
     * ENOTSUP from them instead, filters and services alike.
     */
    public static final Set<String> ANSWER_NOTSUP =
            Set.of("sock_accept", "sock_recv", "sock_send", "sock_shutdown", "proc_raise");

    private WasiCalls() {}

    /** A fresh WASI state (its fd table) for one VM. */
    public static WasiPreview1 newWasi(ProxyWasmVm vm) {
        WasiOptions.Builder options =
                WasiOptions.builder()
                        .withStdin(new ByteArrayInputStream(new byte[0]))
                        .withStdout(new LogLineStream(vm, LogLevel.INFO))
                        .withStderr(new LogLineStream(vm, LogLevel.ERROR))
                        .withArguments(java.util.List.of());
        for (Map.Entry<String, String> e : vm.config().environment().entrySet()) {
            options.withEnvironment(e.getKey(), e.getValue());
        }
        return WasiPreview1.builder().withOptions(options.build()).build();
    }

    static void register(HostFunctions fns, WasiPreview1 wasi) {
        for (HostFunction f : wasi.toHostFunctions()) {
            for (String module : new String[] {"wasi_snapshot_preview1", "wasi_unstable"}) {
                if (ANSWER_NOTSUP.contains(f.name())) {
                    fns.add(
                            module,
                            f.name(),
                            f.functionType(),
                            (instance, args) -> new long[] {ENOTSUP});
                } else {
                    fns.add(module, f.name(), f.functionType(), f.handle());
                }
            }
        }
    }
}
