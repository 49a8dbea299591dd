package io.wasmesh.wasm.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The identity of a module: the sha256 of its bytes, as 64 lowercase hex digits. Modules are
 * immutable and named by content, so two tenants uploading the same bytes share one compiled
 * module.
 */
public record ModuleDigest(String hex) {

    public ModuleDigest {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 64 || !hex.chars().allMatch(ModuleDigest::isLowerHex)) {
            throw new IllegalArgumentException(
                    "module digest: " + hex + " (expected: 64 lowercase hex digits of a sha256)");
        }
    }

    public static ModuleDigest of(byte[] moduleBytes) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(moduleBytes);
            return new ModuleDigest(HexFormat.of().formatHex(sum));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    /** Accepts {@code sha256:<hex>} or bare hex, any case. */
    public static ModuleDigest parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        return new ModuleDigest(s.startsWith("sha256:") ? s.substring(7) : s);
    }

    /** The first 12 hex digits: enough to tell modules apart in logs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    private static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
