package io.wasmesh.wasm.wagi;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/** What a WAGI module answered: status, headers and body parsed from its stdout. */
public record CgiResponse(int status, HeaderMap headers, byte[] body) {}
