package io.wasmesh.wasm.exec;

import java.util.ArrayDeque;
import java.util.HashMap;
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
 *
 * <p>Two tiers: the foreground workers serve tenants in good standing; a tenant put in the
 * background ({@link Tier#background(boolean)}, e.g. while it overdraws its Wasm time budget) is
 * served only by the background workers, which the OS runs below everything else. Guest code cannot
 * be paused, only stopped, so a runaway guest keeps its core until its deadline; below everything
 * else, the OS hands that core to other work the moment it is ready instead of letting the guest
 * finish its time slice first. On Linux the background workers put themselves in the idle class
 * ({@code SCHED_IDLE}, through util-linux's {@code chrt}) and run at {@code Thread.MIN_PRIORITY}
 * (nice 19 when the JVM runs with {@code -XX:ThreadPriorityPolicy=1
 * -XX:JavaPriority1_To_OSPriority=19}, as {@code bin/wasmesh} starts it).
 *
 * <p>Long calls step down on their own, as in a multilevel feedback queue: a foreground worker
 * whose guest call has used {@code demoteAfterNanos} of CPU (not wall time: a short call preempted
 * on a busy core has not run long) is lowered to {@code Thread.MIN_PRIORITY} (nice 19) on the spot,
 * by the watchdog, and a fresh worker takes its place in the pool; the lowered one finishes the
 * work in its hands and ends (an unprivileged thread cannot raise its priority back). A tenant's
 * budget ({@link Tier}) acts only once a call has ended and been charged; a runaway call of a
 * tenant that still had budget would otherwise keep its core at normal priority until its deadline,
 * while the neighbours' short requests queue behind it. Short calls, the common case, never pay
 * more than a counter; work that needs long calls still runs at full speed on a core nobody else
 * wants.
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
            long idleSpinNanos,
            int backgroundWorkers,
            long demoteAfterNanos) {
        public Config {
            if (demoteAfterNanos < 0) {
                throw new IllegalArgumentException(
                        "demoteAfterNanos: " + demoteAfterNanos + " (expected: >= 0)");
            }
            if (backgroundWorkers < 0) {
                throw new IllegalArgumentException(
                        "backgroundWorkers: " + backgroundWorkers + " (expected: >= 0)");
            }
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

        /** How long a guest call runs at normal priority by default: {@value} ns. */
        public static final long DEFAULT_DEMOTE_AFTER_NANOS = 2_000_000;

        /**
         * Workers = max(2, cores); 16 MiB stacks (about 170k compiled Wasm frames); one worker kept
         * free; one background worker; calls lowered after 2 ms of CPU.
         */
        public static Config defaults() {
            int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
            return new Config(
                    workers, 16L << 20, workers - 1, 16, 0, 1, DEFAULT_DEMOTE_AFTER_NANOS);
        }

        public Config withWorkers(int n) {
            return new Config(
                    n,
                    stackBytes,
                    Math.max(1, n - 1),
                    quantum,
                    idleSpinNanos,
                    backgroundWorkers,
                    demoteAfterNanos);
        }

        public Config withIdleSpinNanos(long nanos) {
            return new Config(
                    workers,
                    stackBytes,
                    maxWorkersPerTenant,
                    quantum,
                    nanos,
                    backgroundWorkers,
                    demoteAfterNanos);
        }

        /** {@code n} background workers; 0: no background tier (demoting a tenant does nothing). */
        public Config withBackgroundWorkers(int n) {
            return new Config(
                    workers,
                    stackBytes,
                    maxWorkersPerTenant,
                    quantum,
                    idleSpinNanos,
                    n,
                    demoteAfterNanos);
        }

        /** Guest calls lowered to the lowest priority after {@code nanos} of CPU; 0: never. */
        public Config withDemoteAfterNanos(long nanos) {
            return new Config(
                    workers,
                    stackBytes,
                    maxWorkersPerTenant,
                    quantum,
                    idleSpinNanos,
                    backgroundWorkers,
                    nanos);
        }
    }

    /** Per-tenant scheduling state; guarded by the scheduler's lock. */
    static final class TenantQueue {
        final String name;
        final ArrayDeque<Lane> ready = new ArrayDeque<>();

        /** Time the tenant's lanes spent running tasks (guest calls and their host work). */
        final java.util.concurrent.atomic.LongAdder busyNanos =
                new java.util.concurrent.atomic.LongAdder();

        /** Lanes of the tenant running now, per {@link WorkerPool#index}. */
        final int[] running = new int[2];

        boolean eligible;

        /** Served by the background workers; written under the scheduler's lock. */
        volatile boolean background;

        TenantQueue(String name) {
            this.name = name;
        }
    }

    private final Config config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TenantQueue> tenants = new HashMap<>();
    private final WorkerPool foreground;
    private final WorkerPool background;
    private final java.util.concurrent.CompletableFuture<BackgroundScheduling>
            backgroundScheduling = new java.util.concurrent.CompletableFuture<>();
    private final ThreadGroup group = new ThreadGroup("wasm-workers");
    private final java.util.concurrent.atomic.AtomicInteger foregroundNames =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder demotedCalls =
            new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    /**
     * One tier's workers: the tenants ready for them (taking turns), how they are woken, and how
     * many of them one tenant may occupy at once. Guarded by the scheduler's lock.
     */
    private final class WorkerPool {
        final int index; // into TenantQueue.running
        final int maxPerTenant;
        final long idleSpinNanos;
        final ArrayDeque<TenantQueue> eligible = new ArrayDeque<>();
        final Condition work = lock.newCondition();

        /** Mirrors {@code !eligible.isEmpty()} for spinning workers, read without the lock. */
        volatile boolean workHint;

        WorkerPool(int index, int maxPerTenant, long idleSpinNanos) {
            this.index = index;
            this.maxPerTenant = maxPerTenant;
            this.idleSpinNanos = idleSpinNanos;
        }
    }

    public WasmScheduler(Config config) {
        this.config = config;
        this.foreground = new WorkerPool(0, config.maxWorkersPerTenant(), config.idleSpinNanos());
        // background workers never spin: theirs is the work that may wait
        this.background = new WorkerPool(1, config.backgroundWorkers(), 0);
        Handoff.start(); // from this thread, at normal priority
        for (int i = 0; i < config.workers(); i++) {
            startForegroundWorker();
        }
        for (int i = 0; i < config.backgroundWorkers(); i++) {
            WasmWorkerThread t =
                    new WasmWorkerThread(
                            group,
                            this::backgroundWorker,
                            "wasm-background-" + i,
                            config.stackBytes(),
                            Watchdog.shared(),
                            0,
                            null);
            t.runInBackground();
            t.start();
        }
    }

    private void startForegroundWorker() {
        WasmWorkerThread t =
                new WasmWorkerThread(
                        group,
                        () -> workLoop(foreground),
                        "wasm-worker-" + foregroundNames.getAndIncrement(),
                        config.stackBytes(),
                        Watchdog.shared(),
                        config.demoteAfterNanos(),
                        this::demote);
        // a replacement is made on the watchdog's thread, whose priority it would inherit
        t.setPriority(Thread.NORM_PRIORITY);
        t.start();
    }

    /**
     * On the watchdog's thread: {@code thread}, a foreground worker, has used {@code
     * demoteAfterNanos} of CPU in one guest call. Lowers it to the lowest priority and starts its
     * replacement; the lowered worker ends once its turn is over. Where lowering a thread's
     * priority has no effect (another OS, or a JVM started without {@code
     * -XX:ThreadPriorityPolicy=1}), nothing changes: replacing the worker would buy nothing.
     */
    private void demote(Thread thread) {
        WasmWorkerThread worker = (WasmWorkerThread) thread;
        if (closed || worker.retiring() || worker.osThreadId().isEmpty()) {
            return;
        }
        worker.belowNormalPriority(true); // first: from now on its hand-offs take the relay
        worker.setPriority(Thread.MIN_PRIORITY);
        if (OsThreadScheduling.nice(worker.osThreadId().getAsLong()).orElse(0) <= 0) {
            worker.setPriority(Thread.NORM_PRIORITY);
            worker.belowNormalPriority(false);
            return;
        }
        worker.retire();
        demotedCalls.increment();
        startForegroundWorker();
    }

    /** Guest calls lowered to the lowest priority for running long, since start. */
    public long demotedCalls() {
        return demotedCalls.sum();
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

    private void backgroundWorker() {
        BackgroundScheduling how =
                new BackgroundScheduling(
                        OsThreadScheduling.becomeIdleClass(), OsThreadScheduling.nice());
        if (backgroundScheduling.complete(how)) {
            how.log();
        }
        workLoop(background);
    }

    /**
     * How the OS schedules the background workers: in Linux's idle class ({@code SCHED_IDLE}: run
     * only on a core nobody else wants, preempted by any other thread that wakes), and at which
     * nice (what {@code Thread.MIN_PRIORITY} became).
     */
    public record BackgroundScheduling(boolean idleClass, java.util.OptionalInt nice) {
        void log() {
            System.Logger log = System.getLogger(WasmScheduler.class.getName());
            if (idleClass) {
                log.log(System.Logger.Level.DEBUG, "background Wasm workers run in SCHED_IDLE");
            } else if (nice.isPresent() && nice.getAsInt() > 0) {
                log.log(
                        System.Logger.Level.INFO,
                        "background Wasm workers run at nice "
                                + nice.getAsInt()
                                + " (not in SCHED_IDLE: util-linux's chrt was not found)");
            } else {
                log.log(
                        System.Logger.Level.INFO,
                        "background Wasm workers run at the normal OS priority: a demoted tenant's"
                                + " guests share cores with everyone's time slices; install"
                                + " util-linux's chrt, or start the JVM with"
                                + " -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19");
            }
        }
    }

    /**
     * How the OS schedules the background workers, once one has started (never completes without
     * background workers).
     */
    public java.util.concurrent.CompletableFuture<BackgroundScheduling> backgroundScheduling() {
        return backgroundScheduling;
    }

    /** The tier {@code tenant}'s lanes are served in. */
    public Tier tier(String tenant) {
        lock.lock();
        try {
            return new Tier(tenants.computeIfAbsent(tenant, TenantQueue::new));
        } finally {
            lock.unlock();
        }
    }

    /**
     * True while {@code tenant} is served by the background workers; false for a tenant the
     * scheduler has never seen (reading it registers nothing).
     */
    public boolean inBackground(String tenant) {
        lock.lock();
        try {
            TenantQueue t = tenants.get(tenant);
            return t != null && t.background;
        } finally {
            lock.unlock();
        }
    }

    /** Where one tenant's lanes run: on the foreground workers, or demoted to the background. */
    public final class Tier {
        private final TenantQueue tenant;

        private Tier(TenantQueue tenant) {
            this.tenant = tenant;
        }

        /** True while the tenant is served by the background workers (a volatile read). */
        public boolean background() {
            return tenant.background;
        }

        /**
         * Moves the tenant's lanes to the background workers, or back. Lanes running now finish
         * their turn where they are; the tenant's next turns are taken in the new tier. Without
         * background workers the tenant stays in the foreground.
         */
        public void background(boolean background) {
            if (config.backgroundWorkers() == 0 || tenant.background == background) {
                return;
            }
            lock.lock();
            try {
                WorkerPool from = poolOf(tenant);
                tenant.background = background;
                if (tenant.eligible) {
                    from.eligible.remove(tenant);
                    tenant.eligible = false;
                }
                makeEligibleIfRunnable(tenant);
            } finally {
                lock.unlock();
            }
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

    private WorkerPool poolOf(TenantQueue t) {
        return t.background ? background : foreground;
    }

    private void makeEligibleIfRunnable(TenantQueue t) {
        if (t.eligible || t.ready.isEmpty()) {
            return;
        }
        WorkerPool pool = poolOf(t);
        if (t.running[pool.index] < pool.maxPerTenant) {
            t.eligible = true;
            pool.eligible.add(t);
            pool.workHint = true;
            pool.work.signal();
        }
    }

    /** One worker of {@code pool}: takes turns from the pool's eligible tenants. */
    private void workLoop(WorkerPool pool) {
        while (true) {
            Lane lane;
            TenantQueue t;
            lock.lock();
            try {
                boolean spun = false;
                while ((t = pool.eligible.poll()) == null) {
                    pool.workHint = false;
                    if (closed) {
                        return;
                    }
                    if (!spun && pool.idleSpinNanos > 0) {
                        spun = true;
                        lock.unlock();
                        long end = System.nanoTime() + pool.idleSpinNanos;
                        while (!pool.workHint && System.nanoTime() - end < 0) {
                            // yield, not a busy pause: on a core shared with the event loop the
                            // loop gets to run and hand over the next task.
                            Thread.yield();
                        }
                        lock.lock();
                        continue;
                    }
                    pool.work.awaitUninterruptibly();
                }
                pool.workHint = !pool.eligible.isEmpty();
                t.eligible = false;
                lane = t.ready.poll();
                t.running[pool.index]++;
                makeEligibleIfRunnable(t);
            } finally {
                lock.unlock();
            }
            boolean more = lane.runSome(config.quantum());
            lock.lock();
            try {
                t.running[pool.index]--;
                if (more) {
                    t.ready.add(lane);
                }
                makeEligibleIfRunnable(t);
            } finally {
                lock.unlock();
            }
            if (((WasmWorkerThread) Thread.currentThread()).retiring()) {
                return; // lowered for a long call and replaced: its turn was its last
            }
        }
    }

    /** Stops the workers once the queued work is done. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            foreground.work.signalAll();
            background.work.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
