package io.wasmesh.controlplane.modules;

import io.wasmesh.wasm.admission.ModuleAdmission;
import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.engine.ModuleRejectedException;

/**
 * Checks an uploaded module the way a proxy will load it: it parses, it compiles, and {@link
 * ModuleAdmission} accepts its kind and imports. Compiling costs tens of milliseconds for a 100 KB
 * module, once per upload, and means a revision is never refused by every proxy for a module that
 * could not load anywhere. Nothing is kept: the compiled code is dropped at once.
 */
public final class ModuleValidator {
    private final ModuleCache compiler;

    public ModuleValidator(int maxModuleBytes) {
        this.compiler = new ModuleCache(maxModuleBytes);
    }

    /**
     * @throws ModuleRejectedException saying why the module cannot be deployed
     */
    public ModuleAdmission.Verdict validate(byte[] bytes) {
        CompiledModule module = compiler.load(bytes);
        try {
            return ModuleAdmission.check(module);
        } finally {
            compiler.evict(module.digest());
        }
    }
}
