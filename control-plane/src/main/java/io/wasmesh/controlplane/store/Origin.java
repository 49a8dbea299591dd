package io.wasmesh.controlplane.store;

import java.io.Serializable;

/**
 * Who made a change and in which trace: the token's id, and the W3C {@code traceparent} of the API
 * request (or null), so the proxies' spans applying the revision join the request's trace.
 */
public record Origin(String author, String traceparent) implements Serializable {}
