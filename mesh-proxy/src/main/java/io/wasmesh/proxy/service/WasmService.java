package io.wasmesh.proxy.service;

import java.util.concurrent.CompletableFuture;

/**
 * A tenant's Wasm microservice at run time. {@link #handle} never blocks: the guest runs on one of
 * the tenant's Wasm lanes and the future completes there (hop back to the event loop). Failures
 * come back as typed {@link ServiceResponse}s, not exceptions.
 */
public interface WasmService extends AutoCloseable {
    String name();

    CompletableFuture<ServiceResponse> handle(ServiceRequest request);

    /**
     * Releases instances (or the memories kept for them) idle for {@code idleFor}; completes with
     * how many.
     */
    default CompletableFuture<Integer> releaseIdle(java.time.Duration idleFor) {
        return CompletableFuture.completedFuture(0);
    }

    @Override
    void close();
}
