package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.proxywasm.abi.WasmResult;
import io.wasmesh.wasm.proxywasm.hostcalls.HostFunctions;
import io.wasmesh.wasm.proxywasm.hostcalls.ProxyWasmAbi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportFunction;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.types.FunctionImport;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * Gives a module exactly the functions it imports. Endive links every import at instantiation, and
 * SDK modules import far more than they call, so: known functions are linked; the ABI 0.1.0
 * functions whose return type varies between SDK versions get the type the module declares;
 * anything else (an unknown name, or a known name with a signature we do not implement) gets a stub
 * of the declared signature answering UNIMPLEMENTED, with a warning.
 */
final class HostLinker {
    private static final int WASI_ENOSYS = 52;
    private static final Set<String> VOID_OR_STATUS =
            Set.of("proxy_continue_request", "proxy_continue_response", "proxy_clear_route_cache");

    record Linked(List<ImportFunction> functions, List<String> warnings) {}

    private HostLinker() {}

    static Linked link(CompiledModule module, ProxyWasmVm vm, WasiPreview1 wasi) {
        module.requireOnlyProvidableImports("this host");
        HostFunctions offered = ProxyWasmAbi.forVm(vm, wasi);
        List<ImportFunction> linked = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (FunctionImport imp : module.functionImports()) {
            FunctionType wanted = module.importType(imp);
            ImportFunction ours = offered.get(imp.module(), imp.name());
            if (ours != null && ours.functionType().equals(wanted)) {
                linked.add(ours);
            } else if (ours != null
                    && VOID_OR_STATUS.contains(imp.name())
                    && wanted.params().isEmpty()) {
                linked.add(adaptReturn(ours, wanted));
            } else {
                warnings.add(
                        (ours == null ? "unknown import " : "import with an unsupported signature ")
                                + imp.module()
                                + "."
                                + imp.name()
                                + wanted
                                + ": linked to a stub that answers UNIMPLEMENTED");
                linked.add(stub(imp, wanted));
            }
        }
        return new Linked(linked, warnings);
    }

    private static ImportFunction adaptReturn(ImportFunction ours, FunctionType wanted) {
        return new HostFunction(
                ours.module(),
                ours.name(),
                wanted,
                (instance, args) -> {
                    long[] r = ours.handle().apply(instance, args);
                    return wanted.returns().isEmpty() ? null : r;
                });
    }

    private static ImportFunction stub(FunctionImport imp, FunctionType type) {
        long code = imp.module().startsWith("wasi") ? WASI_ENOSYS : WasmResult.UNIMPLEMENTED;
        return new HostFunction(
                imp.module(),
                imp.name(),
                type,
                (instance, args) -> {
                    List<ValType> returns = type.returns();
                    if (returns.isEmpty()) {
                        return null;
                    }
                    long[] out = new long[returns.size()];
                    if (returns.get(0).equals(ValType.I32) || returns.get(0).equals(ValType.I64)) {
                        out[0] = code;
                    }
                    return out;
                });
    }
}
