package io.wasmesh.wasm.exec;

import java.util.OptionalLong;

/**
 * A thread that runs guest code: a large stack (Endive's Wasm frames are Java frames) and its own
 * {@link GuestCallGuard}.
 */
public final class WasmWorkerThread extends Thread {
    private final GuestCallGuard guard;
    private volatile OptionalLong osThreadId = OptionalLong.empty();
    private volatile boolean retiring;
    private volatile boolean belowNormalPriority;

    /**
     * A worker whose guest calls that use {@code longCallNanos} of CPU or more are reported to
     * {@code onLongCall} (0 and null: never).
     */
    WasmWorkerThread(
            ThreadGroup group,
            Runnable body,
            String name,
            long stackBytes,
            Watchdog watchdog,
            long longCallNanos,
            GuestCallGuard.LongCallListener onLongCall) {
        super(group, body, name, stackBytes);
        setDaemon(true);
        this.guard = watchdog.register(this, longCallNanos, onLongCall);
    }

    @Override
    public void run() {
        osThreadId = OsThreadScheduling.threadId();
        super.run();
    }

    public GuestCallGuard guard() {
        return guard;
    }

    /** The kernel's id of this thread once it runs (Linux), else empty. */
    OptionalLong osThreadId() {
        return osThreadId;
    }

    /** True once the scheduler has replaced this worker: it ends after the work in its hands. */
    boolean retiring() {
        return retiring;
    }

    /** Replaced: it ends after the work in its hands. */
    void retire() {
        retiring = true;
    }

    /**
     * Marks the worker below normal priority (its hand-offs then take the relay) or back; set
     * before its priority is lowered, cleared only if lowering had no effect.
     */
    void belowNormalPriority(boolean below) {
        belowNormalPriority = below;
    }

    /** A background worker: below normal priority for good. */
    void runInBackground() {
        belowNormalPriority = true;
        setPriority(Thread.MIN_PRIORITY);
    }

    /** True on a background worker or a lowered one: its hand-offs go through {@link Handoff}. */
    boolean belowNormalPriority() {
        return belowNormalPriority;
    }
}
