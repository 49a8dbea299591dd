package io.wasmesh.wasm.proxywasm.spi;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/** The answer to an {@link HttpCallRequest}: headers with {@code :status}, body, trailers. */
public record HttpCallResponse(HeaderMap headers, byte[] body, HeaderMap trailers) {

    public static HttpCallResponse of(int status, String body, String... headerNamesAndValues) {
        HeaderMap headers = HeaderMap.of(headerNamesAndValues);
        headers.set(":status", Integer.toString(status));
        return new HttpCallResponse(
                headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), new HeaderMap());
    }
}
