package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.HttpStream;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request through a filter, as the proxy drives it: a stream context, request headers (the
 * filter adds one), response headers (the filter adds one), then on_log/on_done/on_delete. {@code
 * filter=add_header} is the C example filter from the SDK (wasi-libc, string handling in the
 * guest); {@code filter=noop} is the empty WAT filter, for the host's share alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
@State(Scope.Thread)
public class HeaderFilterBenchmark {
    @Param({"add_header", "noop"})
    public String filter;

    private WasmScheduler scheduler;
    private ProxyWasmVm vm;
    private ProxyWasmHost host;
    private ProxyWasmPlugin plugin;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = new WasmScheduler(WasmScheduler.Config.defaults());
        byte[] wasm =
                filter.equals("noop")
                        ? Guests.wat(Guests.NOOP_FILTER_WAT)
                        : Guests.example("c/" + filter + ".wasm");
        CompiledModule module = Guests.MODULES.load(wasm);
        PluginConfig config = Guests.plugin(filter);
        vm =
                ProxyWasmVm.start(
                        Guests.environment(module, config, scheduler.newLane(config.tenant())));
        host = ProxyWasmHost.builder().scheduler(scheduler).build();
        plugin = host.startPlugin(module, config).join();
        if (requestDirect().get("x-wasmesh-filter") == null && !filter.equals("noop")) {
            throw new IllegalStateException("the filter did not add its header");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vm.close();
        plugin.close();
        host.close();
        scheduler.close();
    }

    /** What a typical browser or service request carries. */
    static HeaderMap requestHeaders() {
        return HeaderMap.of(
                ":method", "GET",
                ":path", "/api/v1/orders?limit=20",
                ":authority", "shop.example.com",
                ":scheme", "http",
                "user-agent", "Mozilla/5.0 (X11; Linux x86_64)",
                "accept", "application/json",
                "accept-encoding", "gzip, deflate",
                "x-request-id", "6f1c7a2e-3b0e-4d8a-9c51-2f6e8d1b4a77");
    }

    static HeaderMap responseHeaders() {
        return HeaderMap.of(
                ":status", "200",
                "content-type", "application/json",
                "content-length", "512",
                "date", "Sat, 21 Nov 2026 10:00:00 GMT");
    }

    /** The request on the benchmark thread, as the VM's lane worker runs it. */
    @Benchmark
    public HeaderMap requestDirect() {
        StreamState stream = new StreamState(StreamObserver.IGNORE, null);
        HeaderMap request = requestHeaders();
        vm.onRequestHeaders(stream, request, true);
        vm.onResponseHeaders(stream, responseHeaders(), true);
        vm.completeStream(stream);
        return request;
    }

    /**
     * The request driven from another thread through the plugin, one callback at a time: three
     * round trips to the lane.
     */
    @Benchmark
    public HeaderMap requestFromOtherThread() {
        HttpStream stream = plugin.newStream(StreamObserver.IGNORE, null);
        HeaderMap request = requestHeaders();
        stream.onRequestHeaders(request, true).join();
        stream.onResponseHeaders(responseHeaders(), true).join();
        stream.complete().join();
        return request;
    }
}
