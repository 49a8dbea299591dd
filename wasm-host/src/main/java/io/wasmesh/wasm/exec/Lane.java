package io.wasmesh.wasm.exec;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A serial mailbox for one Wasm instance: tasks run one at a time, in submission order, on
 * whichever worker the scheduler picks. Instances are not thread-safe; binding each to one lane is
 * what makes them safe to use from many streams and event loops. Handing a lane from worker to
 * worker goes through the scheduler's lock, which orders one task's memory writes before the next
 * task's reads.
 */
public final class Lane implements Executor {
    private final WasmScheduler scheduler;
    private final WasmScheduler.TenantQueue tenant;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;
    private static final ThreadLocal<Lane> RUNNING = new ThreadLocal<>();

    Lane(WasmScheduler scheduler, WasmScheduler.TenantQueue tenant) {
        this.scheduler = scheduler;
        this.tenant = tenant;
    }

    public String tenant() {
        return tenant.name;
    }

    /** Runs {@code task} on this lane. Tasks submitted after {@link #close()} are rejected. */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new IllegalStateException("lane closed");
        }
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            scheduler.ready(this);
        }
    }

    /** Runs {@code work} on this lane and completes the future with its result or failure. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(
                () -> {
                    try {
                        result.complete(work.get());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
        return result;
    }

    /** Stops accepting tasks; those already queued still run. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True when the calling thread is running one of this lane's tasks. */
    public boolean isCurrent() {
        return RUNNING.get() == this;
    }

    WasmScheduler.TenantQueue tenantQueue() {
        return tenant;
    }

    /**
     * Runs up to {@code quantum} tasks. Returns true if tasks remain and the lane must be queued
     * again, so one busy lane cannot hold a worker while others of its tenant wait.
     */
    boolean runSome(int quantum) {
        RUNNING.set(this);
        try {
            return runTasks(quantum);
        } finally {
            RUNNING.remove();
        }
    }

    private boolean runTasks(int quantum) {
        for (int i = 0; i < quantum; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                scheduled.set(false);
                // A task added between poll() and set(false) saw scheduled=true and did not
                // schedule us: recheck.
                if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
                    return true;
                }
                return false;
            }
            long start = System.nanoTime();
            try {
                task.run();
            } catch (Throwable t) {
                // Tasks complete their own futures; anything escaping is a bug we report without
                // killing the worker.
                Thread.currentThread()
                        .getUncaughtExceptionHandler()
                        .uncaughtException(Thread.currentThread(), t);
            } finally {
                tenant.busyNanos.add(System.nanoTime() - start);
            }
        }
        return !tasks.isEmpty() || !releaseIfEmpty();
    }

    private boolean releaseIfEmpty() {
        scheduled.set(false);
        return tasks.isEmpty() || !scheduled.compareAndSet(false, true);
    }
}
