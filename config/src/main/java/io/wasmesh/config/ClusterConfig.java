package io.wasmesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named set of upstream endpoints with a load-balancing policy and resilience settings.
 *
 * @param name the cluster's name, unique in the tenant
 * @param endpoints the endpoints (the loader requires at least one)
 * @param loadBalancer how an endpoint is picked; default {@link LoadBalancerPolicy#ROUND_ROBIN}
 * @param hashHeader the request header {@link LoadBalancerPolicy#RING_HASH} hashes, lower-cased
 *     (the client address when the request lacks it); given with ring hash only
 * @param connectTimeout the most time a connection may take; default 1 s
 * @param requestTimeout the most time one upstream request may take, or {@code null} to leave it to
 *     the route
 * @param maxConnectionsPerEndpoint the connection pool size per endpoint; default 64 (in Java, 0
 *     means the default)
 * @param retryBudget how many retries may be in flight; default {@link RetryBudget#DEFAULT}
 * @param circuitBreaker limits past which requests fail fast; default {@link
 *     CircuitBreaker#DEFAULT}
 * @param outlierDetection ejection of failing endpoints, or {@code null} for none
 * @param healthCheck active probing, or {@code null} for none
 * @param external the cluster is outside the mesh: no trace context goes to it unless {@code
 *     propagateTraceContext}; default false
 * @param propagateTraceContext send trace context to this external cluster anyway; default false
 */
public record ClusterConfig(
        String name,
        List<Endpoint> endpoints,
        LoadBalancerPolicy loadBalancer,
        String hashHeader,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxConnectionsPerEndpoint,
        RetryBudget retryBudget,
        CircuitBreaker circuitBreaker,
        OutlierDetection outlierDetection,
        HealthCheck healthCheck,
        boolean external,
        boolean propagateTraceContext) {

    public ClusterConfig {
        endpoints = Immutables.list(endpoints);
        loadBalancer = Objects.requireNonNullElse(loadBalancer, LoadBalancerPolicy.ROUND_ROBIN);
        hashHeader = hashHeader == null ? null : hashHeader.toLowerCase(Locale.ROOT);
        connectTimeout = Objects.requireNonNullElse(connectTimeout, Duration.ofSeconds(1));
        maxConnectionsPerEndpoint = maxConnectionsPerEndpoint == 0 ? 64 : maxConnectionsPerEndpoint;
        retryBudget = Objects.requireNonNullElse(retryBudget, RetryBudget.DEFAULT);
        circuitBreaker = Objects.requireNonNullElse(circuitBreaker, CircuitBreaker.DEFAULT);
    }

    /** Whether requests to this cluster carry W3C trace context. */
    public boolean carriesTraceContext() {
        return !external || propagateTraceContext;
    }
}
