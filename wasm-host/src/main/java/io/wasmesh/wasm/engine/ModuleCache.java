package io.wasmesh.wasm.engine;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import run.endive.compiler.InterpreterFallback;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.Instance;
import run.endive.runtime.Machine;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmEngineException;
import run.endive.wasm.WasmModule;

/**
 * Parses, validates and compiles each module once per content digest, and shares the result.
 * Compiling takes milliseconds to seconds: call {@link #load} off the event loop. Concurrent loads
 * of the same bytes wait for one compilation.
 */
public final class ModuleCache {
    private static final System.Logger LOG = System.getLogger(ModuleCache.class.getName());

    /**
     * 64 MiB: Endive needs about 25x the module size in heap to compile it; larger is hostile here.
     */
    public static final int DEFAULT_MAX_MODULE_BYTES = 64 << 20;

    private final Map<ModuleDigest, CompletableFuture<CompiledModule>> modules =
            new ConcurrentHashMap<>();
    private final int maxModuleBytes;
    private final DiskCodeCache codeCache; // null: compile every time the process starts

    public ModuleCache() {
        this(DEFAULT_MAX_MODULE_BYTES);
    }

    public ModuleCache(int maxModuleBytes) {
        this(maxModuleBytes, null);
    }

    /**
     * @param codeCache where compiled code is kept across restarts, or null
     */
    public ModuleCache(int maxModuleBytes, DiskCodeCache codeCache) {
        this.maxModuleBytes = maxModuleBytes;
        this.codeCache = codeCache;
    }

    /**
     * Returns the compiled module for these bytes, compiling it the first time.
     *
     * @throws ModuleRejectedException when the bytes are not a valid module
     */
    public CompiledModule load(byte[] bytes) {
        if (bytes.length > maxModuleBytes) {
            throw new ModuleRejectedException(
                    "module is " + bytes.length + " bytes; the limit is " + maxModuleBytes);
        }
        ModuleDigest digest = ModuleDigest.of(bytes);
        CompletableFuture<CompiledModule> mine = new CompletableFuture<>();
        CompletableFuture<CompiledModule> existing = modules.putIfAbsent(digest, mine);
        if (existing != null) {
            return await(existing);
        }
        try {
            mine.complete(compile(digest, bytes));
        } catch (RuntimeException | StackOverflowError e) {
            // A rejected module is not cached: the same bytes fail the same way, cheaply, and we
            // hold nothing.
            modules.remove(digest, mine);
            mine.completeExceptionally(e);
        }
        return await(mine);
    }

    /**
     * Loads bytes that must have the given digest.
     *
     * @throws ModuleRejectedException when the digest differs or the module is invalid
     */
    public CompiledModule load(byte[] bytes, ModuleDigest expected) {
        ModuleDigest actual = ModuleDigest.of(bytes);
        if (!actual.equals(expected)) {
            throw new ModuleRejectedException(
                    "module digest mismatch: expected " + expected + ", got " + actual);
        }
        return load(bytes);
    }

    public int size() {
        return modules.size();
    }

    /** Forgets a module; instances already built keep working. */
    public void evict(ModuleDigest digest) {
        modules.remove(digest);
    }

    private CompiledModule compile(ModuleDigest digest, byte[] bytes) {
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (WasmEngineException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModuleRejectedException(
                    "not a valid Wasm module (" + digest.shortHex() + "): " + e.getMessage(), e);
        }
        try {
            MachineFactoryCompiler.Builder compiler =
                    MachineFactoryCompiler.builder(module)
                            .withInterpreterFallback(InterpreterFallback.FAIL);
            if (codeCache != null) {
                // Only fully compiled code is cached: the interpreter fallback below is not.
                compiler.withCache(codeCache);
            }
            var factory = compiler.compile();
            return new CompiledModule(digest, bytes.length, module, factory, false);
        } catch (WasmEngineException | IllegalArgumentException | IllegalStateException e) {
            if (!isTooLargeForJvm(e)) {
                throw new ModuleRejectedException(
                        "module " + digest.shortHex() + " failed to compile: " + e.getMessage(), e);
            }
        }
        // Functions over the JVM's 64 KiB method limit can only run interpreted: accept, but say
        // so.
        LOG.log(
                Level.WARNING,
                "module {0} has functions too large for the JVM; they run in the interpreter (slow)",
                digest.shortHex());
        java.util.function.Function<Instance, Machine> factory =
                MachineFactoryCompiler.builder(module)
                        .withInterpreterFallback(InterpreterFallback.SILENT)
                        .compile();
        return new CompiledModule(digest, bytes.length, module, factory, true);
    }

    private static boolean isTooLargeForJvm(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("too large") || m.contains("interpret");
    }

    private static CompiledModule await(CompletableFuture<CompiledModule> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }
}
