package io.wasmesh.config;

import java.nio.file.Path;
import java.util.List;

/** Loading documents in tests; relative files are relative to this module's folder. */
final class Configs {

    /** The module's folder: Maven runs tests there. */
    static final Path MODULE_DIR = Path.of("").toAbsolutePath();

    static final Path EXAMPLES = MODULE_DIR.resolve("examples");

    /** A filter module that exists, as the examples name it from {@code config/examples}. */
    static final String ADD_HEADER_WASM = "../filter-sdk/examples/c/add_header.wasm";

    private Configs() {}

    static MeshConfig yaml(String text) throws ConfigException {
        return ConfigLoader.parse(text, "test.yaml", Format.YAML, MODULE_DIR);
    }

    static MeshConfig json(String text) throws ConfigException {
        return ConfigLoader.parse(text, "test.json", Format.JSON, MODULE_DIR);
    }

    /**
     * The errors of a YAML document that must not load, as {@code file:line:col: path: message}.
     */
    static List<String> errors(String yaml) {
        return ConfigLoaderErrors.of(() -> yaml(yaml));
    }
}
