package io.wasmesh.wasm.engine;

/**
 * A guest call that did not return normally. The instance it ran in must be discarded: its memory
 * and globals may be half-updated.
 */
public final class GuestFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the call ended. Each kind is counted and answered differently by the proxy. */
    public enum Kind {
        /** {@code unreachable}, out-of-bounds access, division by zero, a bad indirect call. */
        TRAP,
        /** The call ran past its deadline and was interrupted. */
        DEADLINE_EXCEEDED,
        /** The guest trapped after its memory reached the cap (typically an allocator aborting). */
        MEMORY_LIMIT,
        /** Recursion deeper than the worker's stack. */
        STACK_EXHAUSTED,
        /** The guest called {@code proc_exit} where no exit is expected. */
        EXIT,
        /**
         * The host itself failed while serving the guest: a bug of ours, reported and contained.
         */
        HOST_ERROR
    }

    private final Kind kind;

    public GuestFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
