package io.wasmesh.wasm.exec;

/**
 * A thread that runs guest code: a large stack (Endive's Wasm frames are Java frames) and its own
 * {@link GuestCallGuard}.
 */
public final class WasmWorkerThread extends Thread {
    private final GuestCallGuard guard;

    WasmWorkerThread(
            ThreadGroup group, Runnable body, String name, long stackBytes, Watchdog watchdog) {
        super(group, body, name, stackBytes);
        setDaemon(true);
        this.guard = watchdog.register(this);
    }

    public GuestCallGuard guard() {
        return guard;
    }
}
