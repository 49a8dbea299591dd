package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * One HTTP request as a WAGI (CGI over WASI) module sees it: CGI variables from these fields and
 * the body on stdin.
 *
 * @param scriptName the part of the path the route matched ({@code SCRIPT_NAME}), may be empty
 * @param pathInfo the rest of the path ({@code PATH_INFO})
 * @param headers request headers (lower-case names; pseudo headers are ignored)
 */
public record CgiRequest(
        String method,
        String scriptName,
        String pathInfo,
        String query,
        HeaderMap headers,
        byte[] body,
        String serverName,
        int serverPort,
        String remoteAddress,
        String scheme) {}
