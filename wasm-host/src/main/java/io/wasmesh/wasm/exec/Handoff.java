package io.wasmesh.wasm.exec;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands work from a Wasm worker to another thread's queue (an event loop's) without letting a
 * low-priority worker stall that thread.
 *
 * <p>Netty's task queues are lock-free MPSC queues whose consumer spins when a producer has claimed
 * a slot but not yet filled it. A background worker ({@code SCHED_IDLE}) or a worker lowered for a
 * long call (nice 19) preempted in that window leaves the event loop spinning at normal priority on
 * the same core, which is exactly what keeps the producer from running: measured here, event loops
 * stalled 150–330 ms under a noisy neighbour. So low-priority workers never offer to such a queue
 * themselves: they add the hand-off to this relay's queue ({@link ConcurrentLinkedQueue}, whose
 * consumer never waits on a producer) and one relay thread at normal priority passes it on. Workers
 * at normal priority hand off directly, as before.
 */
public final class Handoff {
    private static final Queue<Runnable> QUEUE = new ConcurrentLinkedQueue<>();
    private static final Thread RELAY = startRelay();

    private Handoff() {}

    /**
     * Runs {@code handoff} (which passes work on to another thread's queue): here, or on the relay
     * thread when called from a Wasm worker below normal priority.
     */
    public static void run(Runnable handoff) {
        if (needed()) {
            relay(handoff);
        } else {
            handoff.run();
        }
    }

    /** True on a Wasm worker running below normal priority: hand off through {@link #relay}. */
    static boolean needed() {
        Thread t = Thread.currentThread();
        return t instanceof WasmWorkerThread && ((WasmWorkerThread) t).belowNormalPriority();
    }

    /** Runs {@code handoff} on the relay thread. */
    static void relay(Runnable handoff) {
        QUEUE.add(handoff);
        LockSupport.unpark(RELAY);
    }

    /** Makes sure the relay runs; called at normal priority, which its thread inherits. */
    static void start() {
        RELAY.getState(); // loads the class, starting the relay
    }

    private static Thread startRelay() {
        Thread t = new Thread(Handoff::run, "wasm-handoff");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY);
        t.start();
        return t;
    }

    private static void run() {
        while (true) {
            Runnable r = QUEUE.poll();
            if (r == null) {
                LockSupport.park();
                continue;
            }
            try {
                r.run();
            } catch (RuntimeException e) { // the relay must outlive any hand-off
                System.getLogger(Handoff.class.getName())
                        .log(System.Logger.Level.WARNING, "hand-off failed", e);
            }
        }
    }
}
