package io.wasmesh.proxy.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.wasmesh.config.ClusterConfig;
import io.wasmesh.config.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's upstream cluster at run time: its endpoints, a pooled HTTP client, load balancing,
 * circuit breakers, passive (outlier) and active (health check) health.
 */
public final class Cluster implements AutoCloseable {
    private final String tenant;
    private final ClusterConfig config;
    private final boolean propagatesTrace;
    private final List<UpstreamHost> hosts;
    private final HttpClient client;
    private final LoadBalancer balancer;
    private final CircuitBreaker breaker;
    private final OutlierDetector outliers;
    private final HealthChecker healthChecker;

    public Cluster(Vertx vertx, String tenant, ClusterConfig config) {
        this.tenant = tenant;
        this.config = config;
        this.propagatesTrace = config.carriesTraceContext();
        List<UpstreamHost> all = new ArrayList<>();
        for (Endpoint e : config.endpoints()) {
            all.add(new UpstreamHost(e.host(), e.port(), e.weight()));
        }
        this.hosts = List.copyOf(all);
        var cb = config.circuitBreaker();
        this.client =
                vertx.httpClientBuilder()
                        .with(
                                new HttpClientOptions()
                                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                                        .setKeepAlive(true)
                                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                                        .setDecompressionSupported(false))
                        .with(
                                new PoolOptions()
                                        .setHttp1MaxSize(
                                                Math.min(
                                                        config.maxConnectionsPerEndpoint(),
                                                        cb.maxConnections()))
                                        .setMaxWaitQueueSize(cb.maxPendingRequests()))
                        .build();
        this.balancer = LoadBalancer.of(config.loadBalancer(), hosts);
        this.breaker =
                new CircuitBreaker(
                        cb.maxRequests(),
                        cb.maxRetries(),
                        config.retryBudget().percent(),
                        config.retryBudget().minConcurrent());
        this.outliers =
                config.outlierDetection() == null
                        ? null
                        : new OutlierDetector(config.outlierDetection(), hosts);
        this.healthChecker =
                config.healthCheck() == null
                        ? null
                        : new HealthChecker(vertx, client, config.healthCheck(), hosts);
        if (healthChecker != null) {
            healthChecker.start();
        }
    }

    public String name() {
        return config.name();
    }

    public String tenant() {
        return tenant;
    }

    /**
     * Whether requests to this cluster carry W3C trace context: yes inside the mesh; to a cluster
     * marked {@code external} only if it says {@code propagateTraceContext}.
     */
    public boolean propagatesTraceContext() {
        return propagatesTrace;
    }

    public ClusterConfig config() {
        return config;
    }

    public HttpClient client() {
        return client;
    }

    public List<UpstreamHost> hosts() {
        return hosts;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * An endpoint for a request: among the healthy, non-ejected ones other than {@code avoid} (the
     * previous try's, when retrying); if fewer than half the endpoints are available the cluster is
     * in panic and all of them are candidates, as in Envoy. Null when there are no endpoints.
     */
    public UpstreamHost pick(long hash, UpstreamHost avoid) {
        long now = System.nanoTime();
        if (avoid == null && allAvailable(now)) {
            return balancer.pick(hosts, hash); // the common case, without a copy
        }
        List<UpstreamHost> available = new ArrayList<>(hosts.size());
        for (UpstreamHost h : hosts) {
            if (h.available(now)) {
                available.add(h);
            }
        }
        if (available.size() * 2 < hosts.size()) {
            available = new ArrayList<>(hosts); // panic: better an unhealthy try than none
        }
        if (avoid != null && available.size() > 1) {
            available.remove(avoid);
        }
        return available.isEmpty() ? null : balancer.pick(available, hash);
    }

    private boolean allAvailable(long now) {
        for (UpstreamHost h : hosts) {
            if (!h.available(now)) {
                return false;
            }
        }
        return !hosts.isEmpty();
    }

    /** True when picking needs the request's hash key (ring hash). */
    public boolean hashesRequests() {
        return config.loadBalancer() == io.wasmesh.config.LoadBalancerPolicy.RING_HASH;
    }

    /** Marks a request to {@code host} started. */
    public void started(UpstreamHost host) {
        host.active.incrementAndGet();
        host.requests.incrementAndGet();
    }

    /**
     * Marks a request to {@code host} finished with HTTP {@code status}, or -1 when the connection
     * failed or was reset.
     */
    public void finished(UpstreamHost host, int status) {
        host.active.decrementAndGet();
        if (status < 0 || status >= 500) {
            host.failures.incrementAndGet();
        }
        if (outliers != null) {
            outliers.record(host, status);
        }
    }

    @Override
    public void close() {
        if (healthChecker != null) {
            healthChecker.close();
        }
        client.close();
    }
}
