package io.wasmesh.wasm.proxywasm.memory;

/**
 * A guest pointer or length outside the guest's memory, or an allocator that returned one. Host
 * functions turn it into {@code INVALID_MEMORY_ACCESS}; it never reaches the embedder. Stackless:
 * hostile guests can raise it cheaply and often.
 */
public final class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestMemoryException(String message) {
        super(message, null, false, false);
    }
}
