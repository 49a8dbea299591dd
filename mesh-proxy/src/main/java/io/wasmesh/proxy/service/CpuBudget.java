package io.wasmesh.proxy.service;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A tenant's Wasm time budget, a token bucket: {@code perSecond} of Wasm time refills every second
 * of wall time, up to one second's worth; the tenant's lanes' busy time is charged against it.
 * While it is overdrawn the tenant's services take no new work ({@link Admission} holds and then
 * refuses it), so a tenant whose guests burn their deadlines cannot take more than its share of the
 * workers' time from the others.
 */
public final class CpuBudget {
    private final LongSupplier busyNanos;
    private final long perSecondNanos;
    private long tokens;
    private long lastBusy;
    private long lastRefill;

    public CpuBudget(LongSupplier busyNanos, Duration perSecond) {
        this.busyNanos = busyNanos;
        this.perSecondNanos = perSecond.toNanos();
        this.tokens = perSecondNanos;
        this.lastBusy = busyNanos.getAsLong();
        this.lastRefill = System.nanoTime();
    }

    /** True while the budget is not overdrawn. */
    public synchronized boolean allows() {
        refresh();
        return tokens > 0;
    }

    /** How long until the budget allows work again at its refill rate: 0 when it does now. */
    public synchronized long nanosUntilAllowed() {
        refresh();
        return tokens > 0 ? 0 : (long) ((1 - tokens) * (1e9 / perSecondNanos));
    }

    /** The Wasm time left before the budget is overdrawn: a request may run this long. */
    public synchronized long remainingNanos() {
        refresh();
        return Math.max(0, tokens);
    }

    private void refresh() {
        long now = System.nanoTime();
        long busy = busyNanos.getAsLong();
        long refill = (long) ((now - lastRefill) / 1e9 * perSecondNanos);
        tokens = Math.min(perSecondNanos, tokens + refill) - (busy - lastBusy);
        lastRefill = now;
        lastBusy = busy;
    }
}
