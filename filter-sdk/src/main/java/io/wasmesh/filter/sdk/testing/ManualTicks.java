package io.wasmesh.filter.sdk.testing;

import io.wasmesh.wasm.proxywasm.spi.TickScheduler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tick timers that fire only when the test says so, so tick-driven filters are tested without
 * waiting.
 */
final class ManualTicks implements TickScheduler {
    private final List<Runnable> timers = new CopyOnWriteArrayList<>();

    @Override
    public AutoCloseable schedule(long periodMillis, Runnable tick) {
        timers.add(tick);
        return () -> timers.remove(tick);
    }

    void fire() {
        for (Runnable t : timers) {
            t.run();
        }
    }

    boolean armed() {
        return !timers.isEmpty();
    }
}
