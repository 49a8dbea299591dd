package io.wasmesh.benchmarks;

import com.dylibso.chicory.wabt.Wat2Wasm;
import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.exec.Lane;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import io.wasmesh.wasm.proxywasm.spi.TickScheduler;
import io.wasmesh.wasm.proxywasm.tenant.TenantState;
import io.wasmesh.wasm.proxywasm.vm.VmEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/** The guests the benchmarks run, and the plumbing to start VMs of them outside a plugin. */
final class Guests {
    private Guests() {}

    /**
     * A proxy-wasm filter whose callbacks do nothing: what it costs is the host's own overhead.
     * {@code noop} is the same empty body exported plainly, for the engine-only baseline.
     */
    static final String NOOP_FILTER_WAT =
            """
            (module
              (memory (export "memory") 1)
              (global $heap (mut i32) (i32.const 1024))
              (func (export "proxy_abi_version_0_2_1"))
              (func (export "proxy_on_memory_allocate") (param i32) (result i32)
                (local $p i32)
                (local.set $p (global.get $heap))
                (global.set $heap (i32.add (global.get $heap) (local.get 0)))
                (local.get $p))
              (func (export "proxy_on_context_create") (param i32 i32))
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
              (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32) (i32.const 0))
              (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) (i32.const 0))
              (func (export "noop") (param i32 i32 i32) (result i32) (i32.const 0)))
            """;

    /** One page and a data segment, no imports: the smallest thing worth instantiating. */
    static final String SMALL_MODULE_WAT =
            """
            (module
              (memory (export "memory") 1)
              (data (i32.const 16) "hello, wasmesh")
              (func (export "add") (param i32 i32) (result i32)
                (i32.add (local.get 0) (local.get 1))))
            """;

    static final ModuleCache MODULES = new ModuleCache();

    static byte[] wat(String text) {
        return Wat2Wasm.parse(text);
    }

    /** A file packed into the benchmarks jar, e.g. {@code /services/hello/hello.wasm}. */
    static byte[] resource(String path) {
        try (InputStream in = Guests.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An example filter from the filter SDK's jar, e.g. {@code c/add_header.wasm}. */
    static byte[] example(String path) {
        try (InputStream in = Guests.class.getResourceAsStream("/examples/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no example /examples/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PluginConfig plugin(String name) {
        return PluginConfig.builder("bench-tenant", name).logLevel(LogLevel.WARN).build();
    }

    /**
     * What a VM needs when driven directly on the benchmark thread (no lane hop): the lane is only
     * used by filters that pause, tick or call out, which these do not.
     */
    static VmEnvironment environment(CompiledModule module, PluginConfig config, Lane lane) {
        return new VmEnvironment(
                module,
                config,
                new TenantState(config.tenant(), TenantState.Quotas.DEFAULT),
                HttpCallDispatcher.NONE,
                TickScheduler.daemonTimer(),
                LogSink.systemLogger(),
                lane,
                (vm, failure, held) -> {
                    throw new IllegalStateException("benchmark guest failed", failure);
                });
    }

    /**
     * A valid module of about {@code targetBytes}: many functions mixing locals, loops, branches,
     * memory traffic and calls, the shape of compiled C or Rust rather than one giant function.
     * Deterministic for a given {@code seed}, so each run compiles the same code.
     */
    static byte[] syntheticModule(int targetBytes, long seed) {
        StringBuilder wat = new StringBuilder("(module\n  (memory (export \"memory\") 2)\n");
        syntheticFunctions(wat, targetBytes, seed);
        wat.append(")\n");
        return wat(wat.toString());
    }

    /**
     * A WASI command of about {@code targetBytes} answering a CGI response: the synthetic functions
     * of {@link #syntheticModule}, and a {@code _start} that runs one of them and writes {@code
     * Content-Type: text/plain} and {@code hello} to stdout. For cold starts of a service that
     * size.
     */
    static byte[] syntheticCommand(int targetBytes, long seed) {
        StringBuilder wat =
                new StringBuilder("(module\n")
                        .append("  (import \"wasi_snapshot_preview1\" \"fd_write\"")
                        .append(" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n")
                        .append("  (memory (export \"memory\") 2)\n")
                        .append(
                                "  (data (i32.const 16384) \"Content-Type: text/plain\\0a\\0ahello\\0a\")\n");
        int functions = syntheticFunctions(wat, targetBytes, seed);
        wat.append("  (func (export \"_start\")\n")
                .append("    (drop (call $f")
                .append(functions - 1)
                .append(" (i32.const 1) (i32.const 1)))\n")
                .append("    (i32.store (i32.const 16512) (i32.const 16384))\n")
                .append("    (i32.store (i32.const 16516) (i32.const 32))\n")
                .append("    (drop (call $fd_write (i32.const 1) (i32.const 16512) (i32.const 1)")
                .append(" (i32.const 16520))))\n")
                .append(")\n");
        return wat(wat.toString());
    }

    /** Appends the synthetic functions; returns how many. */
    private static int syntheticFunctions(StringBuilder wat, int targetBytes, long seed) {
        Random random = new Random(seed);
        // About 231 bytes of binary per function (measured), so the module comes out near the
        // target.
        int functions = Math.max(1, targetBytes / 231);
        for (int f = 0; f < functions; f++) {
            wat.append("  (func $f").append(f).append(" (export \"f").append(f).append("\")");
            wat.append(" (param $a i32) (param $b i32) (result i32)\n");
            wat.append("    (local $i i32) (local $acc i32) (local $t i64)\n");
            wat.append("    (local.set $acc (local.get $a))\n");
            wat.append("    (block $out (loop $top\n");
            wat.append("      (br_if $out (i32.ge_u (local.get $i) (local.get $b)))\n");
            for (int k = 0; k < 4; k++) {
                int c = random.nextInt(1 << 20);
                int addr = (random.nextInt(16000) & ~3);
                wat.append("      (local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const ")
                        .append(c)
                        .append(")) (i32.load (i32.const ")
                        .append(addr)
                        .append("))))\n");
                wat.append("      (if (i32.and (local.get $acc) (i32.const ")
                        .append(1 << random.nextInt(16))
                        .append("))\n        (then (i32.store (i32.const ")
                        .append(addr)
                        .append(") (local.get $acc)))\n        (else (local.set $t (i64.add")
                        .append(" (local.get $t) (i64.extend_i32_u (local.get $acc))))))\n");
            }
            if (f > 0) {
                wat.append("      (local.set $acc (i32.add (local.get $acc) (call $f")
                        .append(random.nextInt(f))
                        .append(" (local.get $acc) (i32.const 0))))\n");
            }
            wat.append("      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n");
            wat.append("      (br $top)))\n");
            wat.append("    (i32.add (local.get $acc) (i32.wrap_i64 (local.get $t))))\n");
        }
        return functions;
    }
}
