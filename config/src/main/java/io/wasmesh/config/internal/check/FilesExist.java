package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.FilePaths;
import io.wasmesh.config.internal.Problems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The files a mesh file names exist, relative to its directory: the listeners' TLS certificates and
 * keys here, the modules in {@link ModuleFiles}.
 */
final class FilesExist implements Rule {

    private final Path baseDir;

    FilesExist(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public void check(Node config, Problems problems) {
        for (Node listener : config.get("listeners").items()) {
            Node tls = listener.get("tls");
            check(baseDir, tls.get("certPath"), problems);
            check(baseDir, tls.get("keyPath"), problems);
        }
    }

    /** The file {@code name} names, if it is a non-empty string (the schema reports others). */
    static void check(Path baseDir, Node name, Problems problems) {
        if (name.text().filter(t -> !t.isEmpty()).isEmpty()) {
            return;
        }
        Path file;
        try {
            file = FilePaths.resolve(baseDir, name.text().get());
        } catch (InvalidPathException e) {
            problems.at(name.path(), "invalid file name: " + e.getReason());
            return;
        }
        if (!Files.exists(file)) {
            problems.at(name.path(), "file not found: " + file);
        } else if (!Files.isRegularFile(file)) {
            problems.at(name.path(), "not a file: " + file);
        }
    }
}
