package io.wasmesh.wasm.wagi;

/**
 * A WAGI request that produced no usable response. Each kind maps to the typed answer the proxy
 * sends (status and reason) and is counted per tenant.
 */
public final class WagiFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, with the HTTP status the client gets. */
    public enum Kind {
        /** The module trapped (or failed to link or start). */
        TRAP(500, "wasm_trap"),
        /** The request ran past the tenant's CPU deadline. */
        DEADLINE_EXCEEDED(504, "wasm_deadline_exceeded"),
        /** The tenant's Wasm time budget ran out while the request ran. */
        CPU_BUDGET(503, "wasm_cpu_budget"),
        /** The module failed with its memory at the tenant's cap. */
        MEMORY_LIMIT(503, "wasm_memory_limit"),
        /** Recursion deeper than the worker's stack. */
        STACK_EXHAUSTED(500, "wasm_stack_exhausted"),
        /** The module exited with a non-zero code. */
        EXIT_CODE(500, "wasm_exit_code"),
        /** Its stdout was not a CGI response. */
        BAD_RESPONSE(502, "wagi_bad_response"),
        /** It wrote more than the response limit. */
        RESPONSE_TOO_LARGE(502, "wagi_response_too_large"),
        /** The host failed while serving it: a bug of ours, contained. */
        HOST_ERROR(500, "wasm_host_error");

        private final int status;
        private final String reason;

        Kind(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        /** A short machine-readable reason, for the response header and metrics. */
        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    public WagiFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
