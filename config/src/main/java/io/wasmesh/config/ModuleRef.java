package io.wasmesh.config;

import java.util.Locale;

/**
 * A Wasm module, by file, by digest, or both. A file may write a plain string for a path ({@code
 * module: filters/add_header.wasm}) or for a digest ({@code module: sha256:<hex>}). The loader
 * resolves the path against the file's directory and checks it exists; it does not hash the file
 * (the proxy checks the digest when both are given).
 *
 * @param path the {@code .wasm} file (absolute once loaded), or {@code null} when the module comes
 *     from the control plane's store by digest
 * @param sha256 the module's digest, 64 hex digits, lower-cased; or {@code null}
 */
public record ModuleRef(String path, String sha256) {

    public ModuleRef {
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
    }

    /** A module given by its digest only: it comes from the control plane's store. */
    public static ModuleRef ofSha256(String sha256) {
        return new ModuleRef(null, sha256);
    }

    /** A module given by its file only. */
    public static ModuleRef ofPath(String path) {
        return new ModuleRef(path, null);
    }
}
