package io.wasmesh.wasm.proxywasm;

/**
 * A plugin that cannot start: no proxy-wasm ABI marker, a VM that fails while starting, or {@code
 * on_vm_start} / {@code on_configure} returning false. The message carries the reason, including
 * what the filter logged at WARN and above while it refused, so an operator sees why their
 * configuration was rejected.
 */
public final class PluginRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginRejectedException(String message) {
        super(message);
    }

    public PluginRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
