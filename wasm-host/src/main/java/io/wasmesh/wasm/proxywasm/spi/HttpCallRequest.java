package io.wasmesh.wasm.proxywasm.spi;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.time.Duration;

/**
 * An outbound call a filter made with {@code proxy_http_call}. {@code upstream} is a cluster name,
 * resolved by the embedder in the tenant's own config (a filter can reach only what its tenant
 * grants). Headers include {@code :method}, {@code :path} and {@code :authority}.
 *
 * @param timeout zero means no timeout, as in Envoy
 */
public record HttpCallRequest(
        String tenant,
        String plugin,
        String upstream,
        HeaderMap headers,
        byte[] body,
        HeaderMap trailers,
        Duration timeout) {}
