package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * A module names a path, a digest ({@code sha256:<hex>} as a string), or both. In a mesh file a
 * path is relative to the file's directory and the file must exist. A tenant object on its own
 * (what the control plane pushes, what a proxy keeps) has no directory, so a path there must be
 * absolute, and whether the file is there is for the proxy that reads it to find. The loader does
 * not hash modules: the proxy checks digests.
 */
final class ModuleFiles implements TenantRule {

    private static final List<String> MODULE_FIELDS = List.of("path", "sha256");
    private static final String DIGEST_PREFIX = "sha256:";

    /** Where relative paths are resolved, or {@code null} when paths must be absolute. */
    private final Path baseDir;

    private ModuleFiles(Path baseDir) {
        this.baseDir = baseDir;
    }

    static ModuleFiles relativeTo(Path baseDir) {
        return new ModuleFiles(baseDir);
    }

    static ModuleFiles absolute() {
        return new ModuleFiles(null);
    }

    @Override
    public void checkTenant(Node tenant, Problems problems) {
        for (Node filter : tenant.get("filters").items()) {
            module(filter.get("module"), problems);
        }
        for (Node service : tenant.get("services").items()) {
            module(service.get("module"), problems);
        }
    }

    private void module(Node module, Problems problems) {
        if (module.isText()) {
            // The schema checks the digest of the shorthand.
            if (!module.text().orElseThrow().startsWith(DIGEST_PREFIX)) {
                path(module, problems);
            }
            return;
        }
        if (module.isObject()) {
            if (module.present(MODULE_FIELDS).isEmpty()) {
                problems.at(module.path(), SemanticChecks.atLeastOne(MODULE_FIELDS));
            }
            path(module.get("path"), problems);
        }
    }

    private void path(Node path, Problems problems) {
        if (baseDir != null) {
            FilesExist.check(baseDir, path, problems);
            return;
        }
        path.text()
                .filter(p -> !p.isEmpty() && !isAbsolute(p))
                .ifPresent(
                        p ->
                                problems.at(
                                        path.path(),
                                        "must be an absolute path (a tenant object has no"
                                                + " directory to resolve it against)"));
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
