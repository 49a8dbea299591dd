package io.wasmesh.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint of a cluster and what the proxy knows about it: requests in flight (for least
 * request), active health (health checks), passive health (outlier ejection) and counters for the
 * admin endpoint. Updated from any event loop.
 */
public final class UpstreamHost {
    private final String host;
    private final int port;
    private final int weight;

    final AtomicInteger active = new AtomicInteger();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
    volatile boolean healthy = true;
    volatile long ejectedUntilNanos;
    volatile int ejections;

    public UpstreamHost(String host, int port, int weight) {
        this.host = host;
        this.port = port;
        this.weight = Math.max(1, weight);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int weight() {
        return weight;
    }

    public String address() {
        return host + ":" + port;
    }

    public int activeRequests() {
        return active.get();
    }

    public long requests() {
        return requests.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Passes active health checks (true when none are configured). */
    public boolean healthy() {
        return healthy;
    }

    /** Ejected by outlier detection, until its ejection time runs out. */
    public boolean ejected(long nowNanos) {
        return ejectedUntilNanos != 0 && nowNanos - ejectedUntilNanos < 0;
    }

    public int ejections() {
        return ejections;
    }

    /** Can take traffic: healthy and not ejected. */
    boolean available(long nowNanos) {
        return healthy && !ejected(nowNanos);
    }

    @Override
    public String toString() {
        return address();
    }
}
