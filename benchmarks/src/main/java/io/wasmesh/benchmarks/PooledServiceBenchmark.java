package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.PluginConfig;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request to a pooled proxy-wasm service, the {@code echo} example (C): on a VM kept between
 * requests, a stream context, the request-headers callback that reads two headers, formats JSON and
 * answers with {@code proxy_send_local_response}, then the stream's end. The pooled counterpart of
 * {@link WagiBenchmark#freshInstanceRequest}, on the benchmark thread (no lane hop).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
@State(Scope.Thread)
public class PooledServiceBenchmark {
    private WasmScheduler scheduler;
    private ProxyWasmVm vm;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = new WasmScheduler(WasmScheduler.Config.defaults());
        CompiledModule module = Guests.MODULES.load(Guests.resource("/services/echo/echo.wasm"));
        PluginConfig config = Guests.plugin("echo");
        vm =
                ProxyWasmVm.start(
                        Guests.environment(module, config, scheduler.newLane(config.tenant())));
        FilterResult first = request();
        if (first.localReply() == null || first.localReply().status() != 200) {
            throw new IllegalStateException("the echo service did not answer: " + first);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vm.close();
        scheduler.close();
    }

    @Benchmark
    public FilterResult request() {
        StreamState stream = new StreamState(StreamObserver.IGNORE, null);
        FilterResult answer =
                vm.onRequestHeaders(
                        stream,
                        HeaderMap.of(
                                ":method", "GET",
                                ":path", "/echo?name=ada",
                                ":authority", "shop.test",
                                ":scheme", "http",
                                "user-agent", "bench"),
                        true);
        vm.completeStream(stream);
        return answer;
    }
}
