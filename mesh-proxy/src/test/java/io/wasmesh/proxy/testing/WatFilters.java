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
 * What the tests' proxy-wasm filters written in WAT share: the imports an {@code http_call} and a
 * resume need, the callbacks every filter has, header maps and byte strings in WAT's syntax, and
 * compiling (wabt's wat2wasm, in Java: no toolchain).
 */
final class WatFilters {
    private WatFilters() {}

    /** {@code $http_call}, {@code $continue} (a stream) and {@code $set_ctx}. */
    static final String CALL_IMPORTS =
            """
            (import "env" "proxy_http_call"
              (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
            (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
            (import "env" "proxy_set_effective_context" (func $set_ctx (param i32) (result i32)))
            """;

    /**
     * The ABI version, a bump allocator from the global {@code $heap} (which the module declares),
     * and VM and context callbacks that accept; {@code proxy_on_configure} is the filter's own.
     */
    static final String LIFECYCLE =
            """
            (func (export "proxy_abi_version_0_2_1"))
            (func (export "proxy_on_memory_allocate") (param i32) (result i32)
              (local $p i32)
              (local.set $p (global.get $heap))
              (global.set $heap (i32.add (global.get $heap) (local.get 0)))
              (local.get $p))
            (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
            (func (export "proxy_on_context_create") (param i32 i32))
            (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
            """;

    /** Compiles {@code wat} into {@code file}; the file. */
    static Path write(Path file, String wat) {
        try {
            Files.write(file, Wat2Wasm.parse(wat));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A proxy-wasm header map: count, the lengths, then each key and value NUL-terminated. */
    static byte[] headers(String... namesAndValues) {
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
    static String escape(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("\\%02x", b & 0xff));
        }
        return s.toString();
    }
}
