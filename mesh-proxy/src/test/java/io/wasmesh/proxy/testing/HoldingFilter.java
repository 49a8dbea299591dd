package io.wasmesh.proxy.testing;

import java.nio.file.Path;

/**
 * A proxy-wasm filter, written here in WAT (compiled by wabt's wat2wasm in Java: no toolchain),
 * that lets the first {@code passFirst} bytes of a request body through and then holds the rest:
 *
 * <ul>
 *   <li>{@link Release#AT_END}: until the end of the body, which it lets through with everything it
 *       held (as a filter that buffers a body to rewrite it does);
 *   <li>{@link Release#ON_CALL_ANSWER}: the first chunk it holds sends {@code GET /hold} to the
 *       tenant's cluster {@code calls}; when the answer comes it lets the held body go on its own
 *       ({@code proxy_continue_stream} outside any body callback, as an auth filter resumes a
 *       request), then sends {@code GET /released} to the same cluster, which tells a test that the
 *       body was let go. From then on it lets every chunk through.
 *   <li>{@link Release#ON_TICK}: every millisecond, on its tick, it lets go on its own what it
 *       holds, and goes on holding what comes next; the end of the body goes through with what it
 *       held then.
 * </ul>
 *
 * {@link #write} makes the filter for request bodies, {@link #writeResponse} the same for response
 * bodies. Its state is per VM (one stream at a time is what the tests send).
 */
public final class HoldingFilter {
    /** When the held body is let go. */
    public enum Release {
        AT_END,
        ON_CALL_ANSWER,
        ON_TICK
    }

    private HoldingFilter() {}

    /** Writes the request-body module into {@code dir}; its path. */
    public static Path write(Path dir, int passFirst, Release release) {
        return write(dir, passFirst, release, false);
    }

    /** Writes the response-body module into {@code dir}; its path. */
    public static Path writeResponse(Path dir, int passFirst, Release release) {
        return write(dir, passFirst, release, true);
    }

    private static Path write(Path dir, int passFirst, Release release, boolean response) {
        String name = (response ? "holding-response-" : "holding-") + passFirst + "-" + release;
        return WatFilters.write(dir.resolve(name + ".wasm"), wat(passFirst, release, response));
    }

    /** A filter that reads request bodies and lets every chunk through at once. */
    public static Path passThrough(Path dir) {
        return write(dir, Integer.MAX_VALUE, Release.AT_END);
    }

    /** A filter that reads response bodies and lets every chunk through at once. */
    public static Path passThroughResponse(Path dir) {
        return writeResponse(dir, Integer.MAX_VALUE, Release.AT_END);
    }

    private static String wat(int passFirst, Release release, boolean response) {
        byte[] hold = WatFilters.headers(":method", "GET", ":path", "/hold", ":authority", "calls");
        byte[] released =
                WatFilters.headers(":method", "GET", ":path", "/released", ":authority", "calls");
        String onHold =
                release == Release.ON_CALL_ANSWER
                        ? "(call $call (i32.const 512) (i32.const %d))".formatted(hold.length)
                        : "";
        String onHeldChunk =
                release == Release.ON_CALL_ANSWER
                        ? ""
                        : "(if (local.get $eos) (then (return (i32.const 0))))"; // all of it, now
        // ON_TICK: a tick every millisecond lets go of what the stream's chunks left held.
        String onConfigure = release == Release.ON_TICK ? "(drop (call $tick (i32.const 1)))" : "";
        String direction = response ? "1" : "0"; // proxy_continue_stream's stream type
        String bodyCallback = response ? "proxy_on_response_body" : "proxy_on_request_body";
        return """
                (module
                  %s
                  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 256) "calls")
                  (data (i32.const 512) "%s")
                  (data (i32.const 1024) "%s")
                  (global $heap (mut i32) (i32.const 8192))
                  (global $state (mut i32) (i32.const 0)) ;; 0 passing, 1 holding, 2 let go
                  (global $passed (mut i32) (i32.const 0))
                  (global $stream (mut i32) (i32.const 0))
                  %s
                  (func (export "proxy_on_configure") (param i32 i32) (result i32)
                    %s
                    (i32.const 1))
                  (func $call (param $headers i32) (param $len i32)
                    (drop (call $http_call (i32.const 256) (i32.const 5)
                      (local.get $headers) (local.get $len)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                      (i32.const 10000) (i32.const 128))))
                  (func (export "%s") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                    (global.set $stream (local.get $ctx))
                    (if (i32.eqz (global.get $state))
                      (then
                        (if (i64.le_u
                              (i64.add (i64.extend_i32_u (global.get $passed))
                                       (i64.extend_i32_u (local.get $size)))
                              (i64.const %d))
                          (then
                            (global.set $passed (i32.add (global.get $passed) (local.get $size)))
                            (return (i32.const 0))))
                        (global.set $state (i32.const 1))
                        %s))
                    (if (i32.eq (global.get $state) (i32.const 1))
                      (then
                        %s
                        (return (i32.const 1))))
                    (i32.const 0))
                  (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32)
                    (if (i32.eq (global.get $state) (i32.const 1))
                      (then
                        (global.set $state (i32.const 2))
                        (drop (call $set_ctx (global.get $stream)))
                        (drop (call $continue (i32.const %s)))
                        (call $call (i32.const 1024) (i32.const %d)))))
                  (func (export "proxy_on_tick") (param i32)
                    (if (i32.eq (global.get $state) (i32.const 1))
                      (then
                        (drop (call $set_ctx (global.get $stream)))
                        (drop (call $continue (i32.const %s)))))))
                """
                .formatted(
                        WatFilters.CALL_IMPORTS,
                        WatFilters.escape(hold),
                        WatFilters.escape(released),
                        WatFilters.LIFECYCLE,
                        onConfigure,
                        bodyCallback,
                        Integer.toUnsignedLong(passFirst),
                        onHold,
                        onHeldChunk,
                        direction,
                        released.length,
                        direction);
    }
}
