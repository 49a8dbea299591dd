package io.wasmesh.wasm.exec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hand-shake between one thread that runs guest code and the {@link Watchdog} that interrupts
 * it.
 *
 * <p>Endive stops a guest only through {@link Thread#interrupt()}. An interrupt that lands after
 * the guest has returned would hit whatever the thread does next (a queue wait, a log write,
 * channel I/O). So the watchdog may interrupt only while the state is {@code IN_GUEST}, and it
 * claims that state first with a CAS; the thread, on leaving the guest, waits out an interrupt in
 * flight and then clears its interrupt flag. Nested guest calls (a host function calling the
 * guest's allocator) share the outermost deadline.
 *
 * <p>The watchdog also tells the thread's owner about a call that has run long ({@link
 * LongCallListener}): calls are numbered, and once two ticks in a row find the same call in the
 * guest, the watchdog reads the thread's CPU time and reports the call when it has used {@code
 * longCallNanos} of CPU since. CPU time, not wall time: on a saturated core a short call preempted
 * for a few milliseconds has not run long. The call path pays one plain increment; a task of many
 * short calls is never reported, and calls shorter than a tick (nearly all) cost the watchdog no
 * clock read.
 */
public final class GuestCallGuard {
    private static final int IDLE = 0;
    private static final int IN_GUEST = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    /** Told, on the watchdog's thread, that the guard's thread is in one call for long. */
    @FunctionalInterface
    interface LongCallListener {
        void onLongCall(Thread thread);
    }

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile long deadlineNanos;
    private int depth; // confined to the owning thread
    private boolean timedOut; // confined to the owning thread, read after exit's hand-shake
    // Written by the owner before it publishes IN_GUEST, read by the watchdog after it sees it.
    private int calls;

    private final long longCallNanos; // 0: never reported
    private final LongCallListener onLongCall;
    // Confined to the watchdog's thread.
    private int seenCall;
    private long cpuWhenSeenAgain = -1;
    private boolean reported;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    GuestCallGuard(Thread thread) {
        this(thread, 0, null);
    }

    GuestCallGuard(Thread thread, long longCallNanos, LongCallListener onLongCall) {
        this.thread = thread;
        this.longCallNanos = onLongCall == null ? 0 : longCallNanos;
        this.onLongCall = onLongCall;
    }

    /** The guard of the calling thread. */
    public static GuestCallGuard current() {
        Thread t = Thread.currentThread();
        if (t instanceof WasmWorkerThread) {
            return ((WasmWorkerThread) t).guard();
        }
        return Watchdog.shared().guardForCurrentThread();
    }

    /**
     * Marks the start of a guest call that must end by {@code deadline} (a {@link
     * System#nanoTime()}).
     */
    public void enter(long deadline) {
        if (depth++ > 0) {
            return;
        }
        if (Thread.currentThread() != thread) {
            depth--;
            throw new IllegalStateException(
                    "guard used by " + Thread.currentThread() + ", owned by " + thread);
        }
        timedOut = false;
        deadlineNanos = deadline;
        calls++;
        state.set(IN_GUEST);
    }

    /**
     * Marks the end of the guest call. After it returns, no interrupt from the watchdog can reach
     * this thread and the thread's interrupt flag is clear if the watchdog had set it.
     */
    public void exit() {
        if (--depth > 0) {
            return;
        }
        if (!state.compareAndSet(IN_GUEST, IDLE)) {
            while (state.get() == INTERRUPTING) {
                Thread.onSpinWait();
            }
            timedOut = true;
            state.set(IDLE);
            Thread.interrupted();
        }
    }

    /** Whether the last (outermost) call was interrupted for running past its deadline. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Called by the watchdog: interrupts the thread if it is still in the guest past its deadline.
     */
    boolean interruptIfOverdue(long now) {
        if (state.get() != IN_GUEST || now - deadlineNanos < 0) {
            return false;
        }
        if (!state.compareAndSet(IN_GUEST, INTERRUPTING)) {
            return false;
        }
        thread.interrupt();
        state.set(INTERRUPTED);
        return true;
    }

    /**
     * Called by the watchdog every tick: tells the listener, once per call, about a call that has
     * used {@code longCallNanos} of CPU in the guest; true when it did.
     */
    boolean reportIfLong() {
        if (longCallNanos == 0 || state.get() != IN_GUEST) {
            return false;
        }
        int call = calls;
        if (call != seenCall) {
            seenCall = call;
            cpuWhenSeenAgain = -1;
            reported = false;
            return false;
        }
        if (reported) {
            return false;
        }
        long cpu = THREADS.getThreadCpuTime(thread.getId()); // -1: unsupported, or ended
        if (cpu < 0) {
            return false;
        }
        if (cpuWhenSeenAgain < 0) {
            cpuWhenSeenAgain = cpu;
            return false;
        }
        if (cpu - cpuWhenSeenAgain < longCallNanos) {
            return false;
        }
        reported = true;
        onLongCall.onLongCall(thread);
        return true;
    }

    Thread thread() {
        return thread;
    }
}
