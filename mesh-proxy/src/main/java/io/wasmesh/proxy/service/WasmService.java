package io.wasmesh.proxy.service;

import java.util.concurrent.CompletableFuture;

/**
 * A tenant's Wasm microservice at run time. {@link #handle} never blocks: the guest runs on one of
 * the tenant's Wasm lanes and the future completes there (hop back to the event loop). Failures
 * come back as typed {@link ServiceResponse}s, not exceptions.
 */
public interface WasmService extends AutoCloseable {
    String name();

    /** {@code wagi} or {@code proxy-wasm}. */
    String kind();

    CompletableFuture<ServiceResponse> handle(ServiceRequest request);

    @Override
    void close();
}
