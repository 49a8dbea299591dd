package io.wasmesh.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What requests meet when a filter's VM fails. */
public enum FailurePolicy {
    /** The request gets a 503. */
    @JsonProperty("fail_closed")
    FAIL_CLOSED,
    /** The request skips the filter. */
    @JsonProperty("fail_open")
    FAIL_OPEN,
    /** The request gets a 503; a fresh VM serves later requests, after a backoff. */
    @JsonProperty("reload")
    RELOAD
}
