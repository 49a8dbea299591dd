package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleCache;
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

    @Setup(Level.Trial)
    public void setUp() {
        wasm = Guests.syntheticModule(sizeBytes, 42);
    }

    @Benchmark
    public WasmModule parseAndValidate() {
        return Parser.parse(wasm);
    }

    @Benchmark
    public CompiledModule parseValidateCompile() {
        return new ModuleCache().load(wasm);
    }
}
