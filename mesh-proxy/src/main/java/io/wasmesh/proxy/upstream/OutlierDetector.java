package io.wasmesh.proxy.upstream;

import io.wasmesh.config.OutlierDetection;
import java.util.List;

/**
 * Passive health, as Envoy's outlier detection: an endpoint that answers {@code consecutive5xx} 5xx
 * in a row (or {@code consecutiveGatewayFailure} 502/503/504 or connection failures) is ejected for
 * {@code baseEjectionTime} times the number of times it was ejected, unless that would eject more
 * than {@code maxEjectionPercent} of the cluster (at least one endpoint may always be ejected from
 * a cluster of two or more, as Envoy does).
 */
final class OutlierDetector {
    private final OutlierDetection config;
    private final List<UpstreamHost> hosts;

    OutlierDetector(OutlierDetection config, List<UpstreamHost> hosts) {
        this.config = config;
        this.hosts = hosts;
    }

    /** Records one result; {@code status} is the HTTP status, or -1 for a connect failure/reset. */
    void record(UpstreamHost host, int status) {
        boolean serverError = status < 0 || status >= 500;
        boolean gatewayFailure = status < 0 || status == 502 || status == 503 || status == 504;
        int fives =
                serverError ? host.consecutive5xx.incrementAndGet() : reset(host.consecutive5xx);
        int gateway =
                gatewayFailure
                        ? host.consecutiveGatewayFailures.incrementAndGet()
                        : reset(host.consecutiveGatewayFailures);
        if (fives >= config.consecutive5xx() || gateway >= config.consecutiveGatewayFailure()) {
            maybeEject(host);
        }
    }

    private static int reset(java.util.concurrent.atomic.AtomicInteger counter) {
        counter.set(0);
        return 0;
    }

    private synchronized void maybeEject(UpstreamHost host) {
        long now = System.nanoTime();
        if (host.ejected(now)) {
            return;
        }
        int ejected = 0;
        for (UpstreamHost h : hosts) {
            if (h.ejected(now)) {
                ejected++;
            }
        }
        int allowed =
                Math.max(
                        hosts.size() > 1 ? 1 : 0, hosts.size() * config.maxEjectionPercent() / 100);
        if (ejected >= allowed) {
            return;
        }
        host.ejections++;
        host.ejectedUntilNanos = now + config.baseEjectionTime().toNanos() * host.ejections;
        host.consecutive5xx.set(0);
        host.consecutiveGatewayFailures.set(0);
    }
}
