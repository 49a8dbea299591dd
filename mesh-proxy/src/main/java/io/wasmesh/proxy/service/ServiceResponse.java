package io.wasmesh.proxy.service;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.nio.charset.StandardCharsets;

/** What a Wasm service answered (or what the proxy answers for it when it failed). */
public record ServiceResponse(int status, HeaderMap headers, byte[] body) {

    /**
     * A typed failure: the status, {@code x-wasmesh-service-error: <reason>} and the reason as
     * text.
     */
    public static ServiceResponse failure(int status, String reason, String detail) {
        return new ServiceResponse(
                status,
                HeaderMap.of("content-type", "text/plain", "x-wasmesh-service-error", reason),
                (reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
