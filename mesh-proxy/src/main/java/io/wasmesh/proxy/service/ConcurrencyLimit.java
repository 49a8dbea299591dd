package io.wasmesh.proxy.service;

import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code max} requests of a tenant's service in flight; the rest get 503 at once. */
final class ConcurrencyLimit {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    ConcurrencyLimit(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    int max() {
        return max;
    }
}
