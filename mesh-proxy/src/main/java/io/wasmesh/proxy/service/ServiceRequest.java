package io.wasmesh.proxy.service;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;

/**
 * A request for a Wasm service, its body already read (services get whole requests).
 *
 * @param headers with pseudo headers ({@code :method}, {@code :path}, {@code :authority})
 * @param routePrefix the path prefix the route matched (CGI's {@code SCRIPT_NAME}), or ""
 */
public record ServiceRequest(
        HeaderMap headers,
        byte[] body,
        String routePrefix,
        String remoteAddress,
        int serverPort,
        StreamInfo info) {}
