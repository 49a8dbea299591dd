package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.engine.CompiledModule;
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
 * Links a WASI command's imports for one run: WASI preview 1 under {@code wasi_snapshot_preview1}
 * and {@code wasi_unstable} (sockets and {@code proc_raise} answer ENOTSUP), the tenant's key-value
 * store under {@code wasmesh} ({@link KvCalls}); anything else is a stub of the declared signature
 * answering ENOSYS (the module is told, the host is never reached).
 */
final class WasiCommandImports {
    private static final long ENOSYS = 52;
    private static final Set<String> WASI_MODULES =
            Set.of("wasi_snapshot_preview1", "wasi_unstable");

    private WasiCommandImports() {}

    /** What the module's imports will be linked to, and a warning per stubbed import. */
    record Linked(List<ImportFunction> functions, List<String> warnings) {}

    /** {@code kv}: the tenant's store behind the {@code wasmesh.kv_*} functions, or null. */
    static Linked link(CompiledModule module, WasiPreview1 wasi, SharedData kv) {
        module.requireOnlyProvidableImports("the WAGI host");
        Map<String, HostFunction> offered = new HashMap<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            offered.put(f.name(), f);
        }
        Map<String, HostFunction> store = new HashMap<>();
        if (kv != null) {
            for (HostFunction f : KvCalls.functions(kv)) {
                store.put(f.name(), f);
            }
        }
        List<ImportFunction> functions = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (FunctionImport imp : module.functionImports()) {
            FunctionType type = module.importType(imp);
            HostFunction ours =
                    WASI_MODULES.contains(imp.module())
                            ? offered.get(imp.name())
                            : KvCalls.MODULE.equals(imp.module()) ? store.get(imp.name()) : null;
            if (ours != null && ours.functionType().equals(type)) {
                functions.add(
                        WasiCalls.ANSWER_NOTSUP.contains(imp.name())
                                ? constant(imp, type, WasiCalls.ENOTSUP)
                                : new HostFunction(imp.module(), imp.name(), type, ours.handle()));
            } else if (KvCalls.MODULE.equals(imp.module()) && kv == null) {
                // No store for this service: the functions answer "unavailable", not ENOSYS.
                functions.add(constant(imp, type, KvCalls.unavailable(type)));
            } else {
                warnings.add(
                        "import "
                                + imp.module()
                                + "."
                                + imp.name()
                                + type
                                + " is not provided: linked to a stub answering ENOSYS");
                functions.add(constant(imp, type, ENOSYS));
            }
        }
        return new Linked(functions, warnings);
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
