package io.wasmesh.wasm.engine;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import run.endive.runtime.ByteArrayMemory;
import run.endive.runtime.Memory;
import run.endive.wasm.types.MemoryLimits;

/**
 * Linear memories kept for the next instances of one module. A WAGI service builds an instance per
 * request, and fresh pages for each (allocated and zeroed by the JVM, faulted in by the OS, then
 * collected: 128 KiB per request for a small C module) cost more than the guest's own run.
 *
 * <p>Reuse is safe because Endive zeroes a module's own memory and writes its data segments every
 * time an instance is initialised: a memory from the pool starts exactly as a new one. Only
 * memories still at their initial size come back (a grown one would start bigger), never shared
 * ones, at most {@code capacity} of them; {@link #releaseIfIdle} lets them go when the module
 * rests, so an idle service holds none.
 */
public final class MemoryPool {
    /** ByteArrayMemory reports at most this many pages as its maximum (Java arrays' size). */
    private static final int BYTE_ARRAY_MAX_PAGES = 32767;

    private final ConcurrentLinkedQueue<Memory> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final int capacity;
    private volatile long lastTakenNanos = System.nanoTime();

    /**
     * @param capacity how many memories to keep at most (about as many as run at once)
     */
    public MemoryPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
    }

    /** A memory for a new instance: a kept one of the same limits when there is one, else new. */
    Memory take(MemoryLimits limits) {
        lastTakenNanos = System.nanoTime();
        Memory m = free.poll();
        if (m != null) {
            kept.decrementAndGet();
            if (fits(m, limits)) {
                return m;
            }
        }
        return new ByteArrayMemory(limits);
    }

    /**
     * Takes back the memory of an instance that is done with it (no guest may run in that instance
     * again): kept when it did not grow and there is room, else left to the garbage collector.
     */
    public void give(Memory memory) {
        if (!(memory instanceof ByteArrayMemory)
                || memory.shared()
                || memory.pages() != memory.initialPages()) {
            return;
        }
        if (kept.incrementAndGet() > capacity) {
            kept.decrementAndGet();
            return;
        }
        free.offer(memory);
    }

    /** Whether {@code m} is what Endive would build for {@code limits} (one pool, one module). */
    private static boolean fits(Memory m, MemoryLimits limits) {
        return m.initialPages() == limits.initialPages()
                && m.maximumPages() == Math.min(limits.maximumPages(), BYTE_ARRAY_MAX_PAGES)
                && m.shared() == limits.shared();
    }

    /** Drops every kept memory if none was taken for {@code idleFor}; returns how many. */
    public int releaseIfIdle(Duration idleFor) {
        if (System.nanoTime() - lastTakenNanos < idleFor.toNanos()) {
            return 0;
        }
        int released = 0;
        while (free.poll() != null) {
            kept.decrementAndGet();
            released++;
        }
        return released;
    }

    /** How many memories are kept now. */
    public int size() {
        return kept.get();
    }
}
