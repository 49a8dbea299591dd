package io.wasmesh.config.internal;

import java.nio.file.Path;

/** Files named in a configuration (modules, certificates) are relative to its directory. */
public final class FilePaths {

    private FilePaths() {}

    /**
     * The absolute, normalized file.
     *
     * @throws java.nio.file.InvalidPathException if {@code path} cannot name a file here
     */
    public static Path resolve(Path baseDir, String path) {
        return baseDir.resolve(path).toAbsolutePath().normalize();
    }
}
