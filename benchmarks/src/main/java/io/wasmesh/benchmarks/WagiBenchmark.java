package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.wagi.CgiRequest;
import io.wasmesh.wasm.wagi.CgiResponse;
import io.wasmesh.wasm.wagi.WagiModule;
import java.time.Duration;
import java.util.Map;
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
 * The {@code hello} WAGI service (C, wasi-libc, 26 KB): one request in a fresh instance
 * (instantiate, CGI environment, {@code _start}, parse the CGI output), and a cold start: a module
 * never seen before answering its first request, from the interpreter while it compiles (as the
 * proxy serves it) or compiled first.
 */
@State(Scope.Thread)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
public class WagiBenchmark {
    private byte[] wasm;
    private byte[] wasm100k;
    private WagiModule hello;
    private CgiRequest request;
    private CompiledModule tiered; // the last tiered load, compiling in the background

    @Setup(Level.Trial)
    public void setUp() {
        wasm = Guests.resource("/services/hello/hello.wasm");
        wasm100k = Guests.syntheticCommand(100_000, 42);
        hello = wagi(new ModuleCache().load(wasm));
        request =
                new CgiRequest(
                        "GET",
                        "/hello",
                        "/there",
                        "name=ada",
                        HeaderMap.of(":authority", "shop.test", "user-agent", "bench"),
                        new byte[0],
                        "shop.test",
                        8080,
                        "127.0.0.1",
                        "http");
    }

    private static WagiModule wagi(CompiledModule module) {
        return new WagiModule(
                module,
                "hello",
                Map.of(),
                new InstanceLimits(256, Duration.ofSeconds(1)),
                1 << 20,
                line -> {},
                null);
    }

    /** A request on a compiled module: a fresh instance per request (WAGI). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    public CgiResponse freshInstanceRequest() {
        return hello.handle(request);
    }

    /**
     * The same request on the same module loaded tiered, after 500 requests served by the
     * interpreter before its compilation ended (what the proxy's first moments look like): shows
     * whether the interpreted start leaves the JIT's profiles worse for the compiled code.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    public CgiResponse freshInstanceRequestAfterInterpretedStart(TieredStart started) {
        return started.hello.handle(request);
    }

    /** A module loaded tiered that answered 500 requests from the interpreter first. */
    @State(Scope.Thread)
    public static class TieredStart {
        WagiModule hello;

        @Setup(Level.Trial)
        public void setUp(WagiBenchmark b) {
            java.util.concurrent.CompletableFuture<Void> gate =
                    new java.util.concurrent.CompletableFuture<>();
            CompiledModule module =
                    new ModuleCache(
                                    ModuleCache.DEFAULT_MAX_MODULE_BYTES,
                                    null,
                                    r -> gate.thenRun(r))
                            .loadTiered(b.wasm);
            hello = wagi(module);
            for (int i = 0; i < 500; i++) {
                hello.handle(b.request);
            }
            gate.complete(null); // now the compilation runs
            module.whenCompiled().join();
        }
    }

    /**
     * First request of a module as the proxy serves it: parse, validate, instantiate in the
     * interpreter, answer, while the compilation runs in the background (a new cache each time, so
     * nothing is reused but the JVM's own warm-up). The background compilation is awaited after
     * each shot, outside the measurement.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 10)
    @Measurement(iterations = 10)
    public CgiResponse coldStart() {
        return firstAnswer(wasm);
    }

    /** The same for a 100 KB service (synthetic code shaped like compiled C). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 10)
    @Measurement(iterations = 10)
    public CgiResponse coldStart100k() {
        return firstAnswer(wasm100k);
    }

    /** The 100 KB service compiled before its first answer (no interpreter tier). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 10)
    @Measurement(iterations = 10)
    public CgiResponse coldStart100kCompiledFirst() {
        return wagi(new ModuleCache().load(wasm100k)).handle(request);
    }

    private CgiResponse firstAnswer(byte[] bytes) {
        tiered = new ModuleCache().loadTiered(bytes);
        return wagi(tiered).handle(request);
    }

    @TearDown(Level.Invocation)
    public void awaitBackgroundCompilation() {
        if (tiered != null) {
            tiered.whenCompiled().join();
            tiered = null;
        }
    }
}
