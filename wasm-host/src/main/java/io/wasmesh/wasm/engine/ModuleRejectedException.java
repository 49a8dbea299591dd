package io.wasmesh.wasm.engine;

/**
 * A module that cannot be used: malformed, invalid, too large, or missing what its role requires.
 */
public final class ModuleRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModuleRejectedException(String message) {
        super(message);
    }

    public ModuleRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
