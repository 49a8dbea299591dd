package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.DiskCodeCache;
import io.wasmesh.wasm.engine.ModuleCache;
import java.io.IOException;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;

/**
 * Loading a module of about {@code sizeBytes}: parse and validate alone, and the whole load (parse,
 * validate, compile to JVM bytecode, define the classes) that a cold {@link ModuleCache} does once
 * per digest. Single-shot: with the defaults the first iterations show a cold JVM; run with {@code
 * -wi 0 -i 1 -f 10} for start-up cost alone.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xss8m", "-XX:-DontCompileHugeMethods"})
@State(Scope.Benchmark)
public class CompileBenchmark {
    @Param({"100000"})
    public int sizeBytes;

    private byte[] wasm;
    private DiskCodeCache codeCache;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        wasm = Guests.syntheticModule(sizeBytes, 42);
        // Shared by the forks: the first one fills it, so the others start as a restarted proxy.
        codeCache =
                new DiskCodeCache(
                        Path.of(System.getProperty("java.io.tmpdir"), "wasmesh-bench-code-cache"));
        if (codeCache.size() == 0) {
            new ModuleCache(ModuleCache.DEFAULT_MAX_MODULE_BYTES, codeCache).load(wasm);
        }
    }

    @Benchmark
    public WasmModule parseAndValidate() {
        return Parser.parse(wasm);
    }

    @Benchmark
    public CompiledModule parseValidateCompile() {
        return new ModuleCache().load(wasm);
    }

    /** The same load with the compiled code already on disk (a restarted proxy). */
    @Benchmark
    public CompiledModule parseValidateLoadFromDiskCache() {
        return new ModuleCache(ModuleCache.DEFAULT_MAX_MODULE_BYTES, codeCache).load(wasm);
    }
}
