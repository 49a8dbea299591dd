package io.wasmesh.proxy.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * </ul>
 *
 * Its state is per VM (one stream at a time is what the tests send).
 */
public final class HoldingFilter {
    /** When the held body is let go. */
    public enum Release {
        AT_END,
        ON_CALL_ANSWER
    }

    private HoldingFilter() {}

    /** Writes the module into {@code dir}; its path. */
    public static Path write(Path dir, int passFirst, Release release) {
        byte[] wasm = Wat2Wasm.parse(wat(passFirst, release));
        Path file = dir.resolve("holding-" + passFirst + "-" + release + ".wasm");
        try {
            Files.write(file, wasm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A filter that reads bodies and lets every chunk through at once. */
    public static Path passThrough(Path dir) {
        return write(dir, Integer.MAX_VALUE, Release.AT_END);
    }

    private static String wat(int passFirst, Release release) {
        byte[] hold = headers(":method", "GET", ":path", "/hold", ":authority", "calls");
        byte[] released = headers(":method", "GET", ":path", "/released", ":authority", "calls");
        String onHold =
                release == Release.ON_CALL_ANSWER
                        ? "(call $call (i32.const 512) (i32.const %d))".formatted(hold.length)
                        : "";
        String onHeldChunk =
                release == Release.AT_END
                        ? "(if (local.get $eos) (then (return (i32.const 0))))" // all of it, now
                        : "";
        return """
                (module
                  (import "env" "proxy_http_call"
                    (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
                  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
                  (import "env" "proxy_set_effective_context" (func $set_ctx (param i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 256) "calls")
                  (data (i32.const 512) "%s")
                  (data (i32.const 1024) "%s")
                  (global $heap (mut i32) (i32.const 8192))
                  (global $state (mut i32) (i32.const 0)) ;; 0 passing, 1 holding, 2 let go
                  (global $passed (mut i32) (i32.const 0))
                  (global $stream (mut i32) (i32.const 0))
                  (func (export "proxy_abi_version_0_2_1"))
                  (func (export "proxy_on_memory_allocate") (param i32) (result i32)
                    (local $p i32)
                    (local.set $p (global.get $heap))
                    (global.set $heap (i32.add (global.get $heap) (local.get 0)))
                    (local.get $p))
                  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
                  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
                  (func (export "proxy_on_context_create") (param i32 i32))
                  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
                  (func $call (param $headers i32) (param $len i32)
                    (drop (call $http_call (i32.const 256) (i32.const 5)
                      (local.get $headers) (local.get $len)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                      (i32.const 10000) (i32.const 128))))
                  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
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
                        (global.set $stream (local.get $ctx))
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
                        (drop (call $continue (i32.const 0)))
                        (call $call (i32.const 1024) (i32.const %d))))))
                """
                .formatted(
                        escape(hold),
                        escape(released),
                        Integer.toUnsignedLong(passFirst),
                        onHold,
                        onHeldChunk,
                        released.length);
    }

    /** A proxy-wasm header map: count, the lengths, then each key and value NUL-terminated. */
    private static byte[] headers(String... namesAndValues) {
        int pairs = namesAndValues.length / 2;
        ByteBuffer lengths = ByteBuffer.allocate(4 + 8 * pairs).order(ByteOrder.LITTLE_ENDIAN);
        lengths.putInt(pairs);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (String s : namesAndValues) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            lengths.putInt(b.length);
            text.writeBytes(b);
            text.write(0);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(lengths.array());
        all.writeBytes(text.toByteArray());
        return all.toByteArray();
    }

    /** Bytes as a WAT string literal's contents. */
    private static String escape(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("\\%02x", b & 0xff));
        }
        return s.toString();
    }
}
