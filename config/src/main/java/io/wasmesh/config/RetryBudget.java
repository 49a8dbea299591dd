package io.wasmesh.config;

/**
 * How many retries may be in flight to a cluster: the larger of a percentage of the active requests
 * and a floor.
 *
 * @param percent retries in flight as a percentage of active requests, 0..100
 * @param minConcurrent retries always allowed in flight
 */
public record RetryBudget(double percent, int minConcurrent) {

    /** 20 %, at least 3 (Envoy's defaults). */
    public static final RetryBudget DEFAULT = new RetryBudget(20.0, 3);
}
