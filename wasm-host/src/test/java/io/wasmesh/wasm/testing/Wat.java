package io.wasmesh.wasm.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;

/**
 * Compiles WAT written inline in a test, with wabt's wat2wasm compiled to Java (no toolchain
 * needed).
 */
public final class Wat {
    private Wat() {}

    public static byte[] compile(String wat) {
        return Wat2Wasm.parse(wat);
    }
}
