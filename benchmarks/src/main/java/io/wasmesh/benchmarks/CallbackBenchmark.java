package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.GuestCall;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.FilterResult;
import io.wasmesh.wasm.proxywasm.HttpStream;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.vm.ProxyWasmVm;
import io.wasmesh.wasm.proxywasm.vm.StreamState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;

/**
 * The host's overhead for one no-op proxy-wasm callback ({@code proxy_on_request_body} returning
 * Continue), three ways:
 *
 * <ul>
 *   <li>{@code engineCall}: the bare Endive call of the same empty function under the deadline
 *       guard, the floor;
 *   <li>{@code callbackDirect}: the host's whole callback path (stream context, body buffer,
 *       result) called on the benchmark thread, as the VM's lane worker calls it in production;
 *   <li>{@code callbackFromOtherThread}: the same called from another thread and awaited, one at a
 *       time: the latency a caller sees, two thread hand-offs included;
 *   <li>{@code callbackPipelined}: {@value #IN_FLIGHT} streams' callbacks handed to the lane at
 *       once and then awaited, as an event loop serving many connections does: the cost per
 *       callback when the worker stays busy.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
@State(Scope.Thread)
public class CallbackBenchmark {
    /** How long an idle Wasm worker spins before parking ({@code WasmScheduler.Config}). */
    @Param({"0", "20000"})
    public long idleSpinNanos;

    private static final byte[] CHUNK = new byte[64];
    static final int IN_FLIGHT = 64;

    private WasmScheduler scheduler;
    private Instance instance;
    private ExportFunction noop;
    private ProxyWasmVm vm;
    private StreamState stream;
    private ProxyWasmHost host;
    private ProxyWasmPlugin plugin;
    private HttpStream laneStream;
    private final HttpStream[] inFlight = new HttpStream[IN_FLIGHT];
    private final CompletableFuture<?>[] pending = new CompletableFuture<?>[IN_FLIGHT];

    @Setup(Level.Trial)
    public void setUp() {
        scheduler =
                new WasmScheduler(WasmScheduler.Config.defaults().withIdleSpinNanos(idleSpinNanos));
        CompiledModule module = Guests.MODULES.load(Guests.wat(Guests.NOOP_FILTER_WAT));
        PluginConfig config = Guests.plugin("noop");

        instance = module.instantiate(List.of(), InstanceLimits.DEFAULT);
        noop = instance.export("noop");

        vm =
                ProxyWasmVm.start(
                        Guests.environment(module, config, scheduler.newLane(config.tenant())));
        stream = new StreamState(StreamObserver.IGNORE, null);
        vm.onRequestHeaders(stream, HeaderMap.of(":method", "POST", ":path", "/"), false);

        host = ProxyWasmHost.builder().scheduler(scheduler).build();
        plugin = host.startPlugin(module, config).join();
        laneStream = plugin.newStream(StreamObserver.IGNORE, null);
        laneStream.onRequestHeaders(HeaderMap.of(":method", "POST", ":path", "/"), false).join();
        for (int i = 0; i < IN_FLIGHT; i++) {
            inFlight[i] = plugin.newStream(StreamObserver.IGNORE, null);
            inFlight[i].onRequestHeaders(HeaderMap.of(":method", "POST"), false).join();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vm.close();
        plugin.close();
        host.close();
        scheduler.close();
    }

    @Benchmark
    public long[] engineCall() {
        return GuestCall.invoke(instance, noop, System.nanoTime() + 100_000_000L, 1, 64, 0);
    }

    @Benchmark
    public FilterResult callbackDirect() {
        return vm.onRequestBody(stream, CHUNK, false);
    }

    @Benchmark
    public FilterResult callbackFromOtherThread() {
        return laneStream.onRequestBody(CHUNK, false).join();
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Object callbackPipelined() {
        for (int i = 0; i < IN_FLIGHT; i++) {
            pending[i] = inFlight[i].onRequestBody(CHUNK, false);
        }
        return CompletableFuture.allOf(pending).join();
    }
}
