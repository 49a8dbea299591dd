package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * A response a filter (or the host on its behalf) sends instead of forwarding the request.
 *
 * @param details why, for logs and traces (Envoy's response code details), e.g. {@code
 *     api_key_rejected}
 * @param grpcStatus the gRPC status to send, or -1 for plain HTTP
 */
public record LocalReply(
        int status, String details, byte[] body, HeaderMap headers, int grpcStatus) {

    public static LocalReply of(int status, String details, String body) {
        return new LocalReply(
                status,
                details,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                HeaderMap.of("content-type", "text/plain"),
                -1);
    }

    public String bodyAsString() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
