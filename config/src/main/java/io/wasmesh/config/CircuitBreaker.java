package io.wasmesh.config;

/**
 * Limits past which requests to a cluster fail fast with 503.
 *
 * @param maxConnections the most connections to the cluster
 * @param maxPendingRequests the most requests waiting for a connection
 * @param maxRequests the most requests in flight
 * @param maxRetries the most retries in flight
 */
public record CircuitBreaker(
        int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {

    /** 1024 connections, 1024 pending, 1024 requests, 3 retries (Envoy's defaults). */
    public static final CircuitBreaker DEFAULT = new CircuitBreaker(1024, 1024, 1024, 3);
}
