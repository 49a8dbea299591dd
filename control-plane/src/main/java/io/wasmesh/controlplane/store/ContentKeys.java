package io.wasmesh.controlplane.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Keys of content-addressed entries: {@code tenant/sha256}. */
public final class ContentKeys {
    private ContentKeys() {}

    public static String of(String tenant, String sha256) {
        return tenant + "/" + sha256;
    }

    public static String prefix(String tenant) {
        return tenant + "/";
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
