package io.wasmesh.proxy.upstream;

import java.nio.charset.StandardCharsets;

/** The hash of a request's key for ring-hash balancing (and of ring points). */
public final class HashKeys {
    private HashKeys() {}

    /** 64-bit FNV-1a with a murmur3 finaliser: fast, well spread, stable across runs. */
    public static long of(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
