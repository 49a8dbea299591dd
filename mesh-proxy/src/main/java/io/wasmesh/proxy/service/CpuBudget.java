package io.wasmesh.proxy.service;

import io.wasmesh.wasm.exec.WasmScheduler;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A tenant's Wasm time budget, a token bucket: {@code perSecond} of Wasm time refills every second
 * of wall time, up to one second's worth; the tenant's lanes' busy time is charged against it.
 * While it is overdrawn the tenant's services take no new work ({@link Admission} holds and then
 * refuses it), so a tenant whose guests burn their deadlines cannot take more than its share of the
 * workers' time from the others.
 *
 * <p>A tenant that has spent half its budget is also moved to the scheduler's background tier,
 * where its guests run below every other thread, and stays there until the budget is 90 % full
 * again (a tenant that keeps spending as fast as it refills stays there). A runaway guest cannot be
 * paused, and at normal priority the OS lets it finish its time slice while the neighbours' short
 * requests wait; demoting at half rather than at the overdraft leaves a tenant arriving with a full
 * budget one long call in the foreground instead of two.
 */
public final class CpuBudget {
    private final LongSupplier busyNanos;
    private final long perSecondNanos;
    private final WasmScheduler.Tier tier;
    private final LongSupplier wallNanos;
    private long tokens;
    private long lastBusy;
    private long lastRefill;

    /**
     * @param busyNanos the tenant's Wasm busy time (the scheduler's {@code busyClock})
     * @param tier the tenant's tier in the scheduler, moved to the background while overdrawn
     */
    public CpuBudget(LongSupplier busyNanos, Duration perSecond, WasmScheduler.Tier tier) {
        this(busyNanos, perSecond, tier, System::nanoTime);
    }

    /** The same, refilled by {@code wallNanos} instead of the system clock (tests). */
    CpuBudget(
            LongSupplier busyNanos,
            Duration perSecond,
            WasmScheduler.Tier tier,
            LongSupplier wallNanos) {
        this.busyNanos = busyNanos;
        this.perSecondNanos = perSecond.toNanos();
        this.tier = tier;
        this.wallNanos = wallNanos;
        this.tokens = perSecondNanos;
        this.lastBusy = busyNanos.getAsLong();
        this.lastRefill = wallNanos.getAsLong();
    }

    /** True while the budget is not overdrawn. */
    public synchronized boolean allows() {
        refresh();
        return tokens > 0;
    }

    /**
     * Brings the budget up to date, which moves the tenant between tiers: for a caller that admits
     * nothing by it (a request through the tenant's filters).
     */
    public synchronized void update() {
        refresh();
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
        long now = wallNanos.getAsLong();
        long busy = busyNanos.getAsLong();
        long refill = (long) ((now - lastRefill) / 1e9 * perSecondNanos);
        tokens = Math.min(perSecondNanos, tokens + refill) - (busy - lastBusy);
        lastRefill = now;
        lastBusy = busy;
        // Both reads are volatile; the tier's lock is taken only when the tenant changes tier.
        if (tokens < perSecondNanos / 2 && !tier.background()) {
            tier.background(true);
        } else if (tokens >= perSecondNanos - perSecondNanos / 10 && tier.background()) {
            tier.background(false);
        }
    }
}
