package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import run.endive.runtime.Instance;

/**
 * What a fresh instance costs against reusing one: a bare instance of a one-page module from
 * compiled code; a proxy-wasm VM booted (instance, {@code _initialize}, root context, {@code
 * on_configure}) for the empty WAT filter and for the C {@code add_header} example; and one request
 * on a fresh VM versus on a VM kept from earlier requests.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
@State(Scope.Thread)
public class InstantiateBenchmark {
    private WasmScheduler scheduler;
    private Lane lane;
    private CompiledModule small;
    private CompiledModule noopFilter;
    private CompiledModule addHeader;
    private PluginConfig config;
    private ProxyWasmVm reused;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = new WasmScheduler(WasmScheduler.Config.defaults());
        config = Guests.plugin("instantiate");
        lane = scheduler.newLane(config.tenant());
        small = Guests.MODULES.load(Guests.wat(Guests.SMALL_MODULE_WAT));
        noopFilter = Guests.MODULES.load(Guests.wat(Guests.NOOP_FILTER_WAT));
        addHeader = Guests.MODULES.load(Guests.example("c/add_header.wasm"));
        reused = ProxyWasmVm.start(Guests.environment(addHeader, config, lane));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.close();
        scheduler.close();
    }

    @Benchmark
    public Instance instantiateSmallModule() {
        return small.instantiate(List.of(), InstanceLimits.DEFAULT);
    }

    @Benchmark
    public ProxyWasmVm bootNoopFilterVm() {
        ProxyWasmVm vm = ProxyWasmVm.start(Guests.environment(noopFilter, config, lane));
        vm.close();
        return vm;
    }

    @Benchmark
    public ProxyWasmVm bootAddHeaderVm() {
        ProxyWasmVm vm = ProxyWasmVm.start(Guests.environment(addHeader, config, lane));
        vm.close();
        return vm;
    }

    @Benchmark
    public HeaderMap requestOnFreshVm() {
        ProxyWasmVm vm = ProxyWasmVm.start(Guests.environment(addHeader, config, lane));
        HeaderMap headers = request(vm);
        vm.close();
        return headers;
    }

    @Benchmark
    public HeaderMap requestOnReusedVm() {
        return request(reused);
    }

    private static HeaderMap request(ProxyWasmVm vm) {
        StreamState stream = new StreamState(StreamObserver.IGNORE, null);
        HeaderMap request = HeaderFilterBenchmark.requestHeaders();
        vm.onRequestHeaders(stream, request, true);
        vm.onResponseHeaders(stream, HeaderFilterBenchmark.responseHeaders(), true);
        vm.completeStream(stream);
        return request;
    }
}
