package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.proxywasm.hostcalls.WasiCalls;
import io.wasmesh.wasm.proxywasm.tenant.SharedData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportFunction;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.types.FunctionImport;
import run.endive.wasm.types.FunctionType;

/**
 * How a WASI command's imports are linked: WASI preview 1 under {@code wasi_snapshot_preview1} and
 * {@code wasi_unstable} (sockets and {@code proc_raise} answer ENOTSUP), the tenant's key-value
 * store under {@code wasmesh} ({@link KvCalls}); anything else is a stub of the declared signature
 * answering ENOSYS (the module is told, the host is never reached). Worked out once per service;
 * each request only binds the WASI functions to its own {@link WasiPreview1}.
 */
final class WasiCommandImports {
    private static final long ENOSYS = 52;
    private static final Set<String> WASI_MODULES =
            Set.of("wasi_snapshot_preview1", "wasi_unstable");

    /** Where each WASI function sits in what {@link WasiPreview1#toHostFunctions()} returns. */
    private static final Map<String, Integer> WASI_INDEX = wasiIndex();

    private final ModuleRejectedException unlinkable; // null: every import can be linked
    private final FunctionImport[] imports;
    private final FunctionType[] types;
    private final int[] wasiIndex; // per import: the WASI function it is bound to, or -1
    private final HostFunction[] fixed; // per import not bound to WASI: its function
    private final List<String> warnings;

    /** {@code kv}: the tenant's store behind the {@code wasmesh.kv_*} functions, or null. */
    WasiCommandImports(CompiledModule module, SharedData kv) {
        this.unlinkable = unlinkable(module);
        List<FunctionImport> declared = module.functionImports();
        this.imports = declared.toArray(new FunctionImport[0]);
        this.types = new FunctionType[imports.length];
        this.wasiIndex = new int[imports.length];
        this.fixed = new HostFunction[imports.length];
        List<String> warned = new ArrayList<>();
        Map<String, HostFunction> store = new HashMap<>();
        if (kv != null) {
            for (HostFunction f : KvCalls.functions(kv)) {
                store.put(f.name(), f);
            }
        }
        HostFunction[] wasiShapes = WasiPreview1.builder().build().toHostFunctions();
        for (int i = 0; i < imports.length; i++) {
            FunctionImport imp = imports[i];
            FunctionType type = module.importType(imp);
            types[i] = type;
            wasiIndex[i] = -1;
            Integer w = WASI_MODULES.contains(imp.module()) ? WASI_INDEX.get(imp.name()) : null;
            HostFunction kvFunction =
                    KvCalls.MODULE.equals(imp.module()) ? store.get(imp.name()) : null;
            if (w != null && wasiShapes[w].functionType().equals(type)) {
                if (WasiCalls.ANSWER_NOTSUP.contains(imp.name())) {
                    fixed[i] = constant(imp, type, WasiCalls.ENOTSUP);
                } else {
                    wasiIndex[i] = w;
                }
            } else if (kvFunction != null && kvFunction.functionType().equals(type)) {
                fixed[i] = new HostFunction(imp.module(), imp.name(), type, kvFunction.handle());
            } else if (KvCalls.MODULE.equals(imp.module()) && kv == null) {
                // No store for this service: the functions answer "unavailable", not ENOSYS.
                fixed[i] = constant(imp, type, KvCalls.unavailable(type));
            } else {
                warned.add(
                        "import "
                                + imp.module()
                                + "."
                                + imp.name()
                                + type
                                + " is not provided: linked to a stub answering ENOSYS");
                fixed[i] = constant(imp, type, ENOSYS);
            }
        }
        this.warnings = List.copyOf(warned);
    }

    /** A warning per import linked to a stub, for the service's log. */
    List<String> warnings() {
        return warnings;
    }

    /**
     * The functions the module's imports are linked to for one run on {@code wasi}.
     *
     * @throws ModuleRejectedException when the module imports what no WAGI host provides
     */
    List<ImportFunction> link(WasiPreview1 wasi) {
        if (unlinkable != null) {
            throw unlinkable;
        }
        HostFunction[] bound = null;
        List<ImportFunction> functions = new ArrayList<>(imports.length);
        for (int i = 0; i < imports.length; i++) {
            if (wasiIndex[i] < 0) {
                functions.add(fixed[i]);
                continue;
            }
            if (bound == null) {
                bound = wasi.toHostFunctions();
            }
            FunctionImport imp = imports[i];
            functions.add(
                    new HostFunction(
                            imp.module(), imp.name(), types[i], bound[wasiIndex[i]].handle()));
        }
        return functions;
    }

    private static ModuleRejectedException unlinkable(CompiledModule module) {
        try {
            module.requireOnlyProvidableImports("the WAGI host");
            return null;
        } catch (ModuleRejectedException e) {
            return e;
        }
    }

    private static Map<String, Integer> wasiIndex() {
        HostFunction[] all = WasiPreview1.builder().build().toHostFunctions();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.length; i++) {
            index.put(all[i].name(), i);
        }
        return Map.copyOf(index);
    }

    private static HostFunction constant(FunctionImport imp, FunctionType type, long value) {
        return new HostFunction(
                imp.module(),
                imp.name(),
                type,
                (instance, args) -> {
                    if (type.returns().isEmpty()) {
                        return null;
                    }
                    long[] out = new long[type.returns().size()];
                    out[0] = value;
                    return out;
                });
    }
}
