package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.FilePaths;
import io.wasmesh.config.internal.Problems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Modules name a path or a digest; the files named (modules, certificates) exist, relative to the
 * configuration's directory. The loader does not hash modules: the proxy checks digests.
 */
final class FilesExist implements Rule {

    private static final List<String> MODULE_FIELDS = List.of("path", "sha256");

    private final Path baseDir;

    FilesExist(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public void check(Node config, Problems problems) {
        for (Node tenant : config.get("tenants").items()) {
            for (Node filter : tenant.get("filters").items()) {
                module(filter.get("module"), problems);
            }
            for (Node service : tenant.get("services").items()) {
                module(service.get("module"), problems);
            }
        }
        for (Node listener : config.get("listeners").items()) {
            Node tls = listener.get("tls");
            file(tls.get("certPath"), problems);
            file(tls.get("keyPath"), problems);
        }
    }

    private void module(Node module, Problems problems) {
        if (module.isText()) {
            file(module, problems);
            return;
        }
        if (module.isObject()) {
            if (module.present(MODULE_FIELDS).isEmpty()) {
                problems.at(module.path(), SemanticChecks.atLeastOne(MODULE_FIELDS));
            }
            file(module.get("path"), problems);
        }
    }

    private void file(Node name, Problems problems) {
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
