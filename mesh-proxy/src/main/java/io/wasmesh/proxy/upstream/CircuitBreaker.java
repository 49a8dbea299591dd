package io.wasmesh.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's cluster circuit breakers for requests and retries: a request over {@code maxRequests} in
 * flight, or a retry over {@code maxRetries} in flight or over the retry budget, is refused at once
 * (503, {@code x-wasmesh-overloaded}) instead of queueing behind a struggling upstream. Connections
 * and pending requests are bounded by the client's pool.
 */
public final class CircuitBreaker {
    private final int maxRequests;
    private final int maxRetries;
    private final double budgetPercent;
    private final int budgetMinConcurrent;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicLong overflows = new AtomicLong();

    public CircuitBreaker(
            int maxRequests, int maxRetries, double budgetPercent, int budgetMinConcurrent) {
        this.maxRequests = maxRequests;
        this.maxRetries = maxRetries;
        this.budgetPercent = budgetPercent;
        this.budgetMinConcurrent = budgetMinConcurrent;
    }

    /** Takes a request slot; false (and counted) when the breaker is open. */
    public boolean tryRequest() {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            overflows.incrementAndGet();
            return false;
        }
        return true;
    }

    public void releaseRequest() {
        requests.decrementAndGet();
    }

    /**
     * Takes a retry slot: within {@code maxRetries} and within the budget (a share of the requests
     * in flight, but at least {@code minConcurrent}).
     */
    public boolean tryRetry() {
        int budget = Math.max(budgetMinConcurrent, (int) (requests.get() * budgetPercent / 100.0));
        int limit = Math.min(maxRetries, budget);
        if (retries.incrementAndGet() > limit) {
            retries.decrementAndGet();
            overflows.incrementAndGet();
            return false;
        }
        return true;
    }

    public void releaseRetry() {
        retries.decrementAndGet();
    }

    public int activeRequests() {
        return requests.get();
    }

    public int activeRetries() {
        return retries.get();
    }

    public long overflows() {
        return overflows.get();
    }
}
