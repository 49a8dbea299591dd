package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.wagi.WagiModule;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory per idle deployed service: deploys N copies of a service and measures the heap they hold
 * (after full GCs), for a proxy-wasm service (one live VM each: instance, linear memory, host
 * state) and a WAGI service (no instance between requests: only its deployment).
 *
 * <pre>java -Xmx4g -cp benchmarks/target/benchmarks.jar io.wasmesh.benchmarks.ServiceDensity [N]
 * </pre>
 */
public final class ServiceDensity {
    private ServiceDensity() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        ModuleCache modules = new ModuleCache();
        CompiledModule echo = modules.load(resource("/services/echo/echo.wasm"));
        CompiledModule hello = modules.load(resource("/services/hello/hello.wasm"));
        try (WasmScheduler scheduler = new WasmScheduler(WasmScheduler.Config.defaults());
                ProxyWasmHost host = ProxyWasmHost.builder().scheduler(scheduler).build()) {
            List<Object> kept = new ArrayList<>();
            long before = usedHeap();
            for (int i = 0; i < n; i++) {
                PluginConfig config =
                        PluginConfig.builder("tenant-" + (i % 50), "echo-" + i).build();
                kept.add(host.startPlugin(echo, config).join());
            }
            long proxyWasm = (usedHeap() - before) / n;
            before = usedHeap();
            for (int i = 0; i < n; i++) {
                kept.add(
                        new WagiModule(
                                hello,
                                "hello-" + i,
                                Map.of(),
                                InstanceLimits.DEFAULT,
                                1 << 20,
                                line -> {},
                                null));
            }
            long wagi = (usedHeap() - before) / n;
            System.out.printf(
                    "%d services of each kind, modules compiled once (echo %d B, hello %d B)%n",
                    n, echo.sizeBytes(), hello.sizeBytes());
            System.out.printf(
                    "proxy-wasm (echo, one live VM): %,d bytes each = %,d per GiB%n",
                    proxyWasm, (1L << 30) / Math.max(1, proxyWasm));
            System.out.printf(
                    "WAGI (hello, no instance while idle): %,d bytes each = %,d per GiB%n",
                    wagi, (1L << 30) / Math.max(1, wagi));
            kept.stream()
                    .filter(o -> o instanceof ProxyWasmPlugin)
                    .forEach(o -> ((ProxyWasmPlugin) o).close());
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = ServiceDensity.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }
}
