package io.wasmesh.wasm.proxywasm.spi;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs a VM's {@code proxy_on_tick} timer. The proxy may use its event loop's timers instead. */
public interface TickScheduler {

    /** Calls {@code tick} every {@code periodMillis} until the returned handle is closed. */
    AutoCloseable schedule(long periodMillis, Runnable tick);

    /**
     * A single daemon timer thread: ticks only enqueue work on a VM's lane, they never run guest
     * code here.
     */
    static TickScheduler daemonTimer() {
        return DaemonTimer.INSTANCE;
    }

    /** The shared timer behind {@link #daemonTimer()}. */
    final class DaemonTimer implements TickScheduler {
        static final DaemonTimer INSTANCE = new DaemonTimer();
        private final ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "wasm-tick-timer");
                            t.setDaemon(true);
                            return t;
                        });

        private DaemonTimer() {}

        @Override
        public AutoCloseable schedule(long periodMillis, Runnable tick) {
            ScheduledFuture<?> f =
                    timer.scheduleAtFixedRate(
                            tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    }
}
