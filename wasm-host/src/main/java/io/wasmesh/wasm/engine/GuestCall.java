package io.wasmesh.wasm.engine;

import io.wasmesh.wasm.exec.GuestCallGuard;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasi.WasiExitException;
import run.endive.wasm.WasmEngineException;

/**
 * Calls into a guest under a deadline and turns every way a call can fail into one {@link
 * GuestFailure}. This is the only place guest code is entered from, so the deadline and the
 * classification cannot be forgotten.
 */
public final class GuestCall {
    private GuestCall() {}

    /**
     * Calls {@code function} on the current thread, interrupting it at {@code deadlineNanos} (a
     * {@link System#nanoTime()} value). Nested calls (from a host function back into the guest)
     * share the outer deadline.
     *
     * @throws GuestFailure when the guest traps, runs out of time, stack or memory, exits, or a
     *     host function fails
     */
    public static long[] invoke(
            Instance instance, ExportFunction function, long deadlineNanos, long... args) {
        GuestCallGuard guard = GuestCallGuard.current();
        guard.enter(deadlineNanos);
        try {
            return function.apply(args);
        } catch (WasmInterruptedException e) {
            throw new GuestFailure(
                    GuestFailure.Kind.DEADLINE_EXCEEDED, "guest ran past its deadline", e);
        } catch (WasiExitException e) {
            throw new GuestFailure(
                    GuestFailure.Kind.EXIT, "guest called proc_exit(" + e.exitCode() + ")", e);
        } catch (StackOverflowError e) {
            throw new GuestFailure(GuestFailure.Kind.STACK_EXHAUSTED, "call stack exhausted", e);
        } catch (GuestFailure e) {
            throw e; // from a nested call: already classified
        } catch (WasmEngineException e) {
            throw classify(instance, e);
        } catch (RuntimeException e) {
            // Endive reports some traps (e.g. a bad memory index in generated code) as plain
            // runtime exceptions.
            throw new GuestFailure(
                    GuestFailure.Kind.HOST_ERROR, "guest call failed in the host: " + e, e);
        } finally {
            guard.exit();
        }
    }

    private static GuestFailure classify(Instance instance, WasmEngineException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("call stack exhausted")) {
            return new GuestFailure(GuestFailure.Kind.STACK_EXHAUSTED, "call stack exhausted", e);
        }
        if (e.getCause() instanceof WasmInterruptedException) {
            return new GuestFailure(
                    GuestFailure.Kind.DEADLINE_EXCEEDED, "guest ran past its deadline", e);
        }
        if (memoryAtLimit(instance)) {
            return new GuestFailure(
                    GuestFailure.Kind.MEMORY_LIMIT,
                    "guest trapped with its memory at the limit ("
                            + instance.memory().pages()
                            + " pages): "
                            + message,
                    e);
        }
        return new GuestFailure(GuestFailure.Kind.TRAP, "guest trapped: " + message, e);
    }

    private static boolean memoryAtLimit(Instance instance) {
        try {
            var memory = instance.memory();
            return memory != null && memory.pages() >= memory.maximumPages();
        } catch (RuntimeException noMemory) {
            return false;
        }
    }
}
