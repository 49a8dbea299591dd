package io.wasmesh.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The syntax of a configuration document. */
public enum Format {
    YAML,
    JSON;

    /** By the file name's extension ({@code .yaml}, {@code .yml}, {@code .json}), if known. */
    public static Optional<Format> of(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Optional.of(YAML);
        }
        return name.endsWith(".json") ? Optional.of(JSON) : Optional.empty();
    }
}
