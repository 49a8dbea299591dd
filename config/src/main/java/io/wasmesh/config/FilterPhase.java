package io.wasmesh.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a filter runs in the chain, in Istio WasmPlugin order: the constants are declared in chain
 * order, so {@link Enum#compareTo} sorts a chain.
 */
public enum FilterPhase {
    /** Authentication: runs first. */
    @JsonProperty("authn")
    AUTHN,
    /** Authorization: after authentication. */
    @JsonProperty("authz")
    AUTHZ,
    /** Telemetry: after authorization. */
    @JsonProperty("stats")
    STATS,
    /** No phase: runs last. */
    @JsonProperty("unspecified")
    UNSPECIFIED
}
