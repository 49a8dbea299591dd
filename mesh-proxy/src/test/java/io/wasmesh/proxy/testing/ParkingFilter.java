package io.wasmesh.proxy.testing;

import java.nio.file.Path;

/**
 * A proxy-wasm filter in WAT that parks both directions of a stream on {@code http_call}s to the
 * tenant's cluster {@code calls}: the response's headers wait for {@code GET /response-headers},
 * the end of the request's body for {@code GET /request-end}; each answer resumes its own direction
 * ({@code proxy_continue_stream} with that stream type). Its state is per VM: one stream at a time.
 */
public final class ParkingFilter {
    private ParkingFilter() {}

    /** Writes the module into {@code dir}; its path. */
    public static Path write(Path dir) {
        byte[] requestEnd =
                WatFilters.headers(
                        ":method", "GET", ":path", "/request-end", ":authority", "calls");
        byte[] responseHeaders =
                WatFilters.headers(
                        ":method", "GET", ":path", "/response-headers", ":authority", "calls");
        String wat =
                """
                (module
                  %s
                  (memory (export "memory") 1)
                  (data (i32.const 256) "calls")
                  (data (i32.const 512) "%s")
                  (data (i32.const 1024) "%s")
                  (global $heap (mut i32) (i32.const 8192))
                  (global $stream (mut i32) (i32.const 0))
                  (global $requestToken (mut i32) (i32.const -1))
                  (global $responseToken (mut i32) (i32.const -1))
                  %s
                  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
                  (func $call (param $headers i32) (param $len i32) (result i32)
                    (drop (call $http_call (i32.const 256) (i32.const 5)
                      (local.get $headers) (local.get $len)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                      (i32.const 10000) (i32.const 128)))
                    (i32.load (i32.const 128)))
                  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                    (if (i32.eqz (local.get $eos)) (then (return (i32.const 0))))
                    (global.set $stream (local.get $ctx))
                    (global.set $requestToken (call $call (i32.const 512) (i32.const %d)))
                    (i32.const 1))
                  (func (export "proxy_on_response_headers") (param $ctx i32) (param i32 i32) (result i32)
                    (global.set $stream (local.get $ctx))
                    (global.set $responseToken (call $call (i32.const 1024) (i32.const %d)))
                    (i32.const 1))
                  (func (export "proxy_on_http_call_response") (param i32) (param $token i32) (param i32 i32 i32)
                    (drop (call $set_ctx (global.get $stream)))
                    (if (i32.eq (local.get $token) (global.get $requestToken))
                      (then (drop (call $continue (i32.const 0)))))
                    (if (i32.eq (local.get $token) (global.get $responseToken))
                      (then (drop (call $continue (i32.const 1)))))))
                """
                        .formatted(
                                WatFilters.CALL_IMPORTS,
                                WatFilters.escape(requestEnd),
                                WatFilters.escape(responseHeaders),
                                WatFilters.LIFECYCLE,
                                requestEnd.length,
                                responseHeaders.length);
        return WatFilters.write(dir.resolve("parking.wasm"), wat);
    }
}
