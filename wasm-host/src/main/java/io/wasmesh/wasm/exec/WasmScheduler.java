package io.wasmesh.wasm.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Wasm worker pool: a few big-stack threads that run {@link Lane}s, fairly between tenants.
 *
 * <p>Fairness: ready lanes wait in a FIFO per tenant, and tenants with ready lanes take turns
 * (round robin). A tenant may occupy at most {@code maxWorkersPerTenant} workers at once, so with
 * the default (all workers but one) a tenant whose guests spin until their deadline can never take
 * every worker from the others. Each turn runs a lane for a small quantum of tasks, then the lane
 * goes to the back of its tenant's queue.
 */
public final class WasmScheduler implements AutoCloseable {

    /**
     * Sizing of the pool. {@code idleSpinNanos}: how long a worker that ran out of work keeps
     * looking for more (yielding the core meanwhile) before it parks. Parking and waking a thread
     * costs about 10 µs on our machines (see docs/benchmarks.md); looking a little longer buys that
     * back for work that arrives soon after, at the price of CPU time while it looks. 0 parks at
     * once.
     */
    public record Config(
            int workers,
            long stackBytes,
            int maxWorkersPerTenant,
            int quantum,
            long idleSpinNanos) {
        public Config {
            if (idleSpinNanos < 0) {
                throw new IllegalArgumentException(
                        "idleSpinNanos: " + idleSpinNanos + " (expected: >= 0)");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers: " + workers + " (expected: >= 1)");
            }
            if (maxWorkersPerTenant < 1 || maxWorkersPerTenant > workers) {
                throw new IllegalArgumentException(
                        "maxWorkersPerTenant: "
                                + maxWorkersPerTenant
                                + " (expected: 1.."
                                + workers
                                + ")");
            }
            if (stackBytes < (256 << 10)) {
                throw new IllegalArgumentException(
                        "stackBytes: " + stackBytes + " (expected: >= 256 KiB)");
            }
        }

        /**
         * Workers = max(2, cores); 16 MiB stacks (about 170k compiled Wasm frames); one worker kept
         * free.
         */
        public static Config defaults() {
            int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
            return new Config(workers, 16L << 20, workers - 1, 16, 0);
        }

        public Config withWorkers(int n) {
            return new Config(n, stackBytes, Math.max(1, n - 1), quantum, idleSpinNanos);
        }

        public Config withIdleSpinNanos(long nanos) {
            return new Config(workers, stackBytes, maxWorkersPerTenant, quantum, nanos);
        }
    }

    /** Per-tenant scheduling state; guarded by the scheduler's lock. */
    static final class TenantQueue {
        final String name;
        final ArrayDeque<Lane> ready = new ArrayDeque<>();

        /** Time the tenant's lanes spent running tasks (guest calls and their host work). */
        final java.util.concurrent.atomic.LongAdder busyNanos =
                new java.util.concurrent.atomic.LongAdder();

        int running;
        boolean eligible;

        TenantQueue(String name) {
            this.name = name;
        }
    }

    private final Config config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<String, TenantQueue> tenants = new HashMap<>();
    private final ArrayDeque<TenantQueue> eligible = new ArrayDeque<>();
    private final List<WasmWorkerThread> workers = new ArrayList<>();
    private boolean closed;

    /** Mirrors {@code !eligible.isEmpty()} for spinning workers, which read it without the lock. */
    private volatile boolean workHint;

    public WasmScheduler(Config config) {
        this.config = config;
        ThreadGroup group = new ThreadGroup("wasm-workers");
        for (int i = 0; i < config.workers(); i++) {
            WasmWorkerThread t =
                    new WasmWorkerThread(
                            group,
                            this::workLoop,
                            "wasm-worker-" + i,
                            config.stackBytes(),
                            Watchdog.shared());
            workers.add(t);
            t.start();
        }
    }

    public Config config() {
        return config;
    }

    /** A new lane for one instance of {@code tenant}. */
    public Lane newLane(String tenant) {
        lock.lock();
        try {
            return new Lane(this, tenants.computeIfAbsent(tenant, TenantQueue::new));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A clock of the wall time {@code tenant}'s lanes have spent running tasks (monotonic, in
     * nanoseconds): what a per-tenant CPU budget is charged with. Reading it takes no lock.
     */
    public java.util.function.LongSupplier busyClock(String tenant) {
        lock.lock();
        try {
            return tenants.computeIfAbsent(tenant, TenantQueue::new).busyNanos::sum;
        } finally {
            lock.unlock();
        }
    }

    void ready(Lane lane) {
        lock.lock();
        try {
            TenantQueue t = lane.tenantQueue();
            t.ready.add(lane);
            makeEligibleIfRunnable(t);
        } finally {
            lock.unlock();
        }
    }

    private void makeEligibleIfRunnable(TenantQueue t) {
        if (!t.eligible && !t.ready.isEmpty() && t.running < config.maxWorkersPerTenant()) {
            t.eligible = true;
            eligible.add(t);
            workHint = true;
            work.signal();
        }
    }

    private void workLoop() {
        while (true) {
            Lane lane;
            lock.lock();
            try {
                TenantQueue t;
                boolean spun = false;
                while ((t = eligible.poll()) == null) {
                    workHint = false;
                    if (closed) {
                        return;
                    }
                    if (!spun && config.idleSpinNanos() > 0) {
                        spun = true;
                        lock.unlock();
                        long end = System.nanoTime() + config.idleSpinNanos();
                        while (!workHint && System.nanoTime() - end < 0) {
                            // yield, not a busy pause: on a core shared with the event loop the
                            // loop gets to run and hand over the next task.
                            Thread.yield();
                        }
                        lock.lock();
                        continue;
                    }
                    work.awaitUninterruptibly();
                }
                workHint = !eligible.isEmpty();
                t.eligible = false;
                lane = t.ready.poll();
                t.running++;
                makeEligibleIfRunnable(t);
            } finally {
                lock.unlock();
            }
            boolean more = lane.runSome(config.quantum());
            lock.lock();
            try {
                TenantQueue t = lane.tenantQueue();
                t.running--;
                if (more) {
                    t.ready.add(lane);
                }
                makeEligibleIfRunnable(t);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the workers once the queued work is done. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
