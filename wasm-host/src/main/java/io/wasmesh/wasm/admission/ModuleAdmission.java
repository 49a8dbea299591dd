package io.wasmesh.wasm.admission;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleRejectedException;
import io.wasmesh.wasm.proxywasm.abi.AbiVersion;
import io.wasmesh.wasm.wagi.WagiModule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import run.endive.wasm.types.FunctionImport;

/**
 * Whether a module may be deployed: what kind it is and whether it reaches only for what a host
 * here offers. Deliberately coarse on function names: SDK-built modules import many {@code env}
 * functions they never call, and the linkers stub unknown names, so what is refused is a foreign
 * import <em>namespace</em> (a component-model interface, another runtime's host API) or a
 * non-function import, either of which could never work here.
 */
public final class ModuleAdmission {

    /** The import namespaces some host here provides. */
    public static final Set<String> ALLOWED_IMPORT_MODULES =
            Set.of("env", "wasi_snapshot_preview1", "wasi_unstable", "wasmesh");

    /** What a module is. */
    public enum Kind {
        /** Exports a proxy-wasm ABI marker: a filter, or a service answering with local replies. */
        PROXY_WASM("proxy-wasm"),
        /** Exports {@code _start}: a WASI command, run as a WAGI service. */
        WASI_COMMAND("wasi-command");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param abi the proxy-wasm ABI, or null for a WASI command
     */
    public record Verdict(Kind kind, AbiVersion abi) {}

    private ModuleAdmission() {}

    /**
     * @throws ModuleRejectedException naming every reason the module cannot be deployed
     */
    public static Verdict check(CompiledModule module) {
        module.requireOnlyProvidableImports("wasmesh");
        Set<String> foreign = new TreeSet<>();
        for (FunctionImport imp : module.functionImports()) {
            if (!ALLOWED_IMPORT_MODULES.contains(imp.module())) {
                foreign.add(imp.module() + "." + imp.name());
            }
        }
        if (!foreign.isEmpty()) {
            throw new ModuleRejectedException(
                    "module imports from namespaces no host here provides: "
                            + String.join(", ", List.copyOf(foreign))
                            + " (allowed: env, wasi_snapshot_preview1, wasi_unstable, wasmesh)");
        }
        AbiVersion abi = AbiVersion.detect(module.exportNames());
        if (abi != null) {
            return new Verdict(Kind.PROXY_WASM, abi);
        }
        if (WagiModule.isCommand(module)) {
            return new Verdict(Kind.WASI_COMMAND, null);
        }
        throw new ModuleRejectedException(
                "module is neither a proxy-wasm module (it exports no proxy_abi_version_* marker)"
                        + " nor a WASI command (it exports no _start)");
    }
}
