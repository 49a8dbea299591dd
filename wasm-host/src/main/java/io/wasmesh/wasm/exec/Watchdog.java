package io.wasmesh.wasm.exec;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that scans the registered guards every tick and interrupts guest calls past
 * their deadline. Scanning costs the guest call path two volatile writes and no allocation, where a
 * scheduled timer per call would allocate and contend on the timer queue. The price is granularity:
 * a deadline is enforced within one tick plus Endive's interrupt latency (under 0.1 ms measured
 * here). It also tells a worker's scheduler about a call that has run long (see {@link
 * GuestCallGuard}).
 */
public final class Watchdog {
    private static final Watchdog SHARED = new Watchdog(TimeUnit.MILLISECONDS.toNanos(1));

    private final List<GuestCallGuard> guards = new CopyOnWriteArrayList<>();
    private final ThreadLocal<GuestCallGuard> adopted = new ThreadLocal<>();
    private final AtomicLong interrupts = new AtomicLong();
    private final long tickNanos;

    private Watchdog(long tickNanos) {
        this.tickNanos = tickNanos;
        Thread t = new Thread(this::run, "wasm-watchdog");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
    }

    /** The process-wide watchdog. */
    public static Watchdog shared() {
        return SHARED;
    }

    /** Guest calls interrupted for their deadline since start. */
    public long interrupts() {
        return interrupts.get();
    }

    GuestCallGuard register(Thread thread) {
        return register(new GuestCallGuard(thread));
    }

    /** A guard whose long calls (in the guest {@code longCallNanos} or more) are reported. */
    GuestCallGuard register(
            Thread thread, long longCallNanos, GuestCallGuard.LongCallListener onLongCall) {
        return register(new GuestCallGuard(thread, longCallNanos, onLongCall));
    }

    private GuestCallGuard register(GuestCallGuard guard) {
        guards.add(guard);
        return guard;
    }

    /**
     * A guard for a thread that is not a {@link WasmWorkerThread} (a benchmark or test thread that
     * calls guests directly). Registered once per thread; dropped when the thread ends.
     */
    GuestCallGuard guardForCurrentThread() {
        GuestCallGuard guard = adopted.get();
        if (guard == null) {
            guard = register(Thread.currentThread());
            adopted.set(guard);
        }
        return guard;
    }

    void unregister(GuestCallGuard guard) {
        guards.remove(guard);
    }

    private void run() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (GuestCallGuard guard : guards) {
                if (!guard.thread().isAlive()
                        && guard.thread().getState() == Thread.State.TERMINATED) {
                    guards.remove(guard);
                } else if (guard.interruptIfOverdue(now)) {
                    interrupts.incrementAndGet();
                } else {
                    try {
                        guard.reportIfLong();
                    } catch (RuntimeException e) { // the watchdog must outlive any listener
                        System.getLogger(Watchdog.class.getName())
                                .log(System.Logger.Level.WARNING, "long-call listener failed", e);
                    }
                }
            }
        }
    }
}
