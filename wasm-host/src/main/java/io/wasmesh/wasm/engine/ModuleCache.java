package io.wasmesh.wasm.engine;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import run.endive.compiler.InterpreterFallback;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmEngineException;
import run.endive.wasm.WasmModule;

/**
 * Parses, validates and compiles each module once per content digest, and shares the result.
 * Compiling takes milliseconds to seconds: call {@link #load} off the event loop. Concurrent loads
 * of the same bytes wait for one compilation. {@link #loadTiered} answers after parsing and
 * compiles in the background, for services whose first request should not wait for the compiler.
 */
public final class ModuleCache {
    private static final System.Logger LOG = System.getLogger(ModuleCache.class.getName());

    /**
     * 64 MiB: Endive needs about 25x the module size in heap to compile it; larger is hostile here.
     */
    public static final int DEFAULT_MAX_MODULE_BYTES = 64 << 20;

    /**
     * Background compilations (tiered loads): at most half the cores, so answering requests keeps
     * the rest; daemon threads that end when idle.
     */
    private static final ThreadPoolExecutor BACKGROUND = backgroundCompiler();

    private final Map<ModuleDigest, CompletableFuture<CompiledModule>> modules =
            new ConcurrentHashMap<>();
    private final int maxModuleBytes;
    private final DiskCodeCache codeCache; // null: compile every time the process starts
    private final Executor compilerThreads; // where tiered loads compile

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
        this(maxModuleBytes, codeCache, BACKGROUND);
    }

    /**
     * @param compilerThreads where {@link #loadTiered} compiles (the shared background pool by
     *     default)
     */
    public ModuleCache(int maxModuleBytes, DiskCodeCache codeCache, Executor compilerThreads) {
        this.maxModuleBytes = maxModuleBytes;
        this.codeCache = codeCache;
        this.compilerThreads = compilerThreads;
    }

    /**
     * Returns the compiled module for these bytes, compiling it the first time (or waiting for a
     * background compilation that {@link #loadTiered} started).
     *
     * @throws ModuleRejectedException when the bytes are not a valid module
     */
    public CompiledModule load(byte[] bytes) {
        CompiledModule module = loadOrStart(bytes, false);
        return module.isCompiled() ? module : await(module.whenCompiled());
    }

    /**
     * Returns the module for these bytes at once after parsing and validating them; the first time,
     * it runs in Endive's interpreter while it compiles in the background (like a browser's
     * baseline tier), so the first answer does not wait for the compiler. For modules that run
     * fresh instances (WAGI services): each instance built after the compilation ends runs compiled
     * code.
     *
     * @throws ModuleRejectedException when the bytes are not a valid module
     */
    public CompiledModule loadTiered(byte[] bytes) {
        return loadOrStart(bytes, true);
    }

    private CompiledModule loadOrStart(byte[] bytes, boolean tiered) {
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
            WasmModule parsed = parse(digest, bytes);
            if (tiered) {
                CompiledModule module = new CompiledModule(digest, bytes.length, parsed);
                mine.complete(module);
                compilerThreads.execute(() -> compileInBackground(module));
            } else {
                mine.complete(compile(digest, bytes.length, parsed));
            }
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
        requireDigest(bytes, expected);
        return load(bytes);
    }

    /** {@link #loadTiered(byte[])} for bytes that must have the given digest. */
    public CompiledModule loadTiered(byte[] bytes, ModuleDigest expected) {
        requireDigest(bytes, expected);
        return loadTiered(bytes);
    }

    private static void requireDigest(byte[] bytes, ModuleDigest expected) {
        ModuleDigest actual = ModuleDigest.of(bytes);
        if (!actual.equals(expected)) {
            throw new ModuleRejectedException(
                    "module digest mismatch: expected " + expected + ", got " + actual);
        }
    }

    public int size() {
        return modules.size();
    }

    /** Forgets a module; instances already built keep working. */
    public void evict(ModuleDigest digest) {
        modules.remove(digest);
    }

    private static WasmModule parse(ModuleDigest digest, byte[] bytes) {
        try {
            return Parser.parse(bytes);
        } catch (WasmEngineException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModuleRejectedException(
                    "not a valid Wasm module (" + digest.shortHex() + "): " + e.getMessage(), e);
        }
    }

    private CompiledModule compile(ModuleDigest digest, int size, WasmModule module) {
        CompiledModule compiled = new CompiledModule(digest, size, module);
        compileInto(compiled);
        return compiled;
    }

    private void compileInBackground(CompiledModule module) {
        try {
            compileInto(module);
        } catch (RuntimeException | StackOverflowError e) {
            ModuleRejectedException rejected =
                    e instanceof ModuleRejectedException
                            ? (ModuleRejectedException) e
                            : new ModuleRejectedException(
                                    "module "
                                            + module.digest().shortHex()
                                            + " failed to compile: "
                                            + e,
                                    e);
            LOG.log(
                    Level.WARNING,
                    "module {0} stays in the interpreter: {1}",
                    module.digest().shortHex(),
                    rejected.getMessage());
            module.compilationFailed(rejected);
        }
    }

    /** Compiles the module's code and switches it over. */
    private void compileInto(CompiledModule target) {
        WasmModule module = target.module();
        ModuleDigest digest = target.digest();
        try {
            MachineFactoryCompiler.Builder compiler =
                    MachineFactoryCompiler.builder(module)
                            .withInterpreterFallback(InterpreterFallback.FAIL);
            if (codeCache != null) {
                // Only fully compiled code is cached: the interpreter fallback below is not.
                compiler.withCache(codeCache);
            }
            target.useCompiledCode(compiler.compile(), false);
            return;
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
        target.useCompiledCode(
                MachineFactoryCompiler.builder(module)
                        .withInterpreterFallback(InterpreterFallback.SILENT)
                        .compile(),
                true);
    }

    private static boolean isTooLargeForJvm(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("too large") || m.contains("interpret");
    }

    private static ThreadPoolExecutor backgroundCompiler() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        30,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "wasmesh-compiler-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
