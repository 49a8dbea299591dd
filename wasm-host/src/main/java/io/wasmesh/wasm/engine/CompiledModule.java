package io.wasmesh.wasm.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import run.endive.runtime.ByteArrayMemory;
import run.endive.runtime.ImportFunction;
import run.endive.runtime.ImportMemory;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.InterpreterMachine;
import run.endive.runtime.Machine;
import run.endive.wasm.WasmEngineException;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.Export;
import run.endive.wasm.types.ExternalType;
import run.endive.wasm.types.FunctionImport;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.Import;
import run.endive.wasm.types.MemoryImport;
import run.endive.wasm.types.MemoryLimits;

/**
 * A parsed and validated module, shared by every instance of the same digest, and the code its
 * instances run. Thread-safe; instances built from it are not.
 *
 * <p>Usually the code is compiled to JVM bytecode before anyone sees the module. A module loaded
 * with {@link ModuleCache#loadTiered} starts in Endive's interpreter instead and switches to
 * compiled code when the background compilation ends: instances built before keep the code they
 * started with, later ones get the compiled code (see {@link #whenCompiled()}).
 */
public final class CompiledModule {

    private final ModuleDigest digest;
    private final int sizeBytes;
    private final WasmModule module;
    private final CompletableFuture<CompiledModule> compiled = new CompletableFuture<>();
    private volatile Function<Instance, Machine> machineFactory;
    private volatile boolean partlyInterpreted;
    private final MemoryLimits declaredMemory;
    private final MemoryImport importedMemory;

    /** A module whose instances run in the interpreter until {@link #useCompiledCode}. */
    CompiledModule(ModuleDigest digest, int sizeBytes, WasmModule module) {
        this.digest = digest;
        this.sizeBytes = sizeBytes;
        this.module = module;
        this.importedMemory = findImportedMemory(module);
        this.declaredMemory =
                importedMemory != null
                        ? importedMemory.limits()
                        : module.memorySection()
                                .filter(s -> s.memoryCount() > 0)
                                .map(s -> s.getMemory(0).limits())
                                .orElse(null);
        this.machineFactory = InterpreterMachine::new;
    }

    /** Switches new instances to compiled code (once). */
    void useCompiledCode(Function<Instance, Machine> factory, boolean partlyInterpreted) {
        this.partlyInterpreted = partlyInterpreted;
        this.machineFactory = factory;
        compiled.complete(this);
    }

    /** Compilation failed: instances keep running in the interpreter; waiters get the error. */
    void compilationFailed(RuntimeException e) {
        compiled.completeExceptionally(e);
    }

    /** True once new instances run compiled code (always, unless loaded tiered). */
    public boolean isCompiled() {
        return compiled.isDone() && !compiled.isCompletedExceptionally();
    }

    /**
     * Completes with this module when its instances run compiled code, or with the {@link
     * ModuleRejectedException} that kept it in the interpreter.
     */
    public CompletableFuture<CompiledModule> whenCompiled() {
        return compiled;
    }

    public ModuleDigest digest() {
        return digest;
    }

    public int sizeBytes() {
        return sizeBytes;
    }

    /**
     * True when some function was too large for the JVM and runs in Endive's interpreter even after
     * compilation.
     */
    public boolean partlyInterpreted() {
        return partlyInterpreted;
    }

    public WasmModule module() {
        return module;
    }

    /** The function imports the module declares, in order. */
    public List<FunctionImport> functionImports() {
        List<FunctionImport> out = new ArrayList<>();
        var section = module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            Import imp = section.getImport(i);
            if (imp instanceof FunctionImport) {
                out.add((FunctionImport) imp);
            }
        }
        return out;
    }

    /**
     * Refuses a module that imports anything but functions (a table, a global, or memory other than
     * {@code env.memory}): no host here provides them.
     *
     * @throws ModuleRejectedException naming the first such import and {@code who} refuses it
     */
    public void requireOnlyProvidableImports(String who) {
        for (Import unsupported : unsupportedImports()) {
            throw new ModuleRejectedException(
                    "module imports "
                            + unsupported.importType()
                            + " "
                            + unsupported.module()
                            + "."
                            + unsupported.name()
                            + ", which "
                            + who
                            + " does not provide");
        }
    }

    /**
     * Imports that are neither functions nor memory (tables, globals, tags): we never provide
     * those.
     */
    public List<Import> unsupportedImports() {
        List<Import> out = new ArrayList<>();
        var section = module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            Import imp = section.getImport(i);
            if (imp.importType() != ExternalType.FUNCTION
                    && imp.importType() != ExternalType.MEMORY) {
                out.add(imp);
            }
        }
        return out;
    }

    public FunctionType importType(FunctionImport imp) {
        return module.typeSection().getType(imp.typeIndex());
    }

    public boolean exportsFunction(String name) {
        return exportedFunctionType(name).isPresent();
    }

    public Optional<FunctionType> exportedFunctionType(String name) {
        var exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export e = exports.getExport(i);
            if (e.exportType() == ExternalType.FUNCTION && e.name().equals(name)) {
                List<FunctionImport> imported = functionImports();
                int index = e.index();
                if (index < imported.size()) {
                    return Optional.of(importType(imported.get(index)));
                }
                int importedFunctions = imported.size();
                int typeIndex = module.functionSection().getFunctionType(index - importedFunctions);
                return Optional.of(module.typeSection().getType(typeIndex));
            }
        }
        return Optional.empty();
    }

    public List<String> exportNames() {
        List<String> names = new ArrayList<>();
        var exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            names.add(exports.getExport(i).name());
        }
        return names;
    }

    /**
     * Builds a new instance with {@code functions} as its imports and memory capped by {@code
     * limits}. Runs the module's start section (if any) but not {@code _start}/{@code _initialize}:
     * the caller decides, under a deadline.
     *
     * @throws ModuleRejectedException when the module cannot live within the limits or cannot be
     *     linked
     */
    public Instance instantiate(Collection<ImportFunction> functions, InstanceLimits limits) {
        return instantiate(functions, limits, null);
    }

    /**
     * The same, its own memory taken from {@code memories} (null: a new one); give it back there
     * when the instance is done.
     */
    public Instance instantiate(
            Collection<ImportFunction> functions, InstanceLimits limits, MemoryPool memories) {
        MemoryLimits capped = cappedMemory(limits);
        ImportValues.Builder imports = ImportValues.builder().withFunctions(functions);
        if (importedMemory != null) {
            imports.addMemory(
                    new ImportMemory(
                            importedMemory.module(),
                            importedMemory.name(),
                            new ByteArrayMemory(capped)));
        }
        Instance.Builder builder =
                Instance.builder(module)
                        .withMachineFactory(machineFactory)
                        .withImportValues(imports.build())
                        .withMemoryFactory(memories == null ? ByteArrayMemory::new : memories::take)
                        .withStart(false);
        if (capped != null && importedMemory == null) {
            builder.withMemoryLimits(capped);
        }
        try {
            return builder.build();
        } catch (run.endive.runtime.WasmInterruptedException
                | run.endive.runtime.TrapException
                | run.endive.runtime.WasmRuntimeException e) {
            throw e; // the start section ran and failed: a guest failure, classified by the caller
        } catch (WasmEngineException e) {
            throw new ModuleRejectedException(
                    "module " + digest.shortHex() + " failed to instantiate: " + e.getMessage(), e);
        }
    }

    /** Pages memory 0 starts with, or 0 when the module has no memory. */
    public int initialMemoryPages() {
        return declaredMemory == null ? 0 : declaredMemory.initialPages();
    }

    private MemoryLimits cappedMemory(InstanceLimits limits) {
        if (declaredMemory == null) {
            return null;
        }
        int initial = declaredMemory.initialPages();
        if (initial > limits.maxMemoryPages()) {
            throw new ModuleRejectedException(
                    "module "
                            + digest.shortHex()
                            + " needs "
                            + initial
                            + " memory pages at start; the limit is "
                            + limits.maxMemoryPages());
        }
        int max = Math.min(declaredMemory.maximumPages(), limits.maxMemoryPages());
        return new MemoryLimits(initial, max, declaredMemory.shared());
    }

    /** The memory limits an instance of this module gets under {@code limits}. */
    public int maxMemoryPages(InstanceLimits limits) {
        MemoryLimits capped = cappedMemory(limits);
        return capped == null ? 0 : capped.maximumPages();
    }

    private static MemoryImport findImportedMemory(WasmModule module) {
        var section = module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            if (section.getImport(i) instanceof MemoryImport) {
                return (MemoryImport) section.getImport(i);
            }
        }
        return null;
    }
}
