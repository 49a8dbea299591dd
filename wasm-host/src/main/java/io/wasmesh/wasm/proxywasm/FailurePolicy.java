package io.wasmesh.wasm.proxywasm;

/**
 * What a request meets when its filter's VM fails (trap, deadline, memory limit, exit). In every
 * case the failed VM is discarded, because its memory may be half-updated.
 */
public enum FailurePolicy {
    /** The request gets a 503 local reply; the next request gets a fresh VM. Envoy's default. */
    FAIL_CLOSED,
    /** The request goes on without this filter; the next request gets a fresh VM. */
    FAIL_OPEN,
    /**
     * The request gets a 503; fresh VMs are built with exponential backoff, so a module that
     * crashes on every request cannot spend the CPU on rebuilding itself. Requests during a backoff
     * get a 503.
     */
    RELOAD
}
