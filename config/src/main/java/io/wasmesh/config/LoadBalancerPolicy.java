package io.wasmesh.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a cluster picks an endpoint. */
public enum LoadBalancerPolicy {
    /** In turn, by weight. */
    @JsonProperty("round_robin")
    ROUND_ROBIN,
    /** The less busy of two endpoints picked at random (power of two choices). */
    @JsonProperty("least_request")
    LEAST_REQUEST,
    /** At random, by weight. */
    @JsonProperty("random")
    RANDOM,
    /** Consistent hashing of {@link ClusterConfig#hashHeader()}. */
    @JsonProperty("ring_hash")
    RING_HASH
}
