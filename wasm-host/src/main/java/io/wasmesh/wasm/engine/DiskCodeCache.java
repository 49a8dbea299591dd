package io.wasmesh.wasm.engine;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import run.endive.compiler.Cache;

/**
 * Endive's compiled code on disk, keyed by the module's digest, so a restarted proxy loads its
 * modules' JVM classes instead of compiling them again. One file per module under a folder per
 * Endive version (the compiled format may change between versions), written to a temporary file and
 * moved into place, so concurrent writers and crashes never leave half a file.
 *
 * <p>The files are code the JVM will load: the folder must be the proxy's own. It is created
 * readable by its owner only.
 */
public final class DiskCodeCache implements Cache {
    private final Path dir;
    private final java.util.concurrent.atomic.AtomicLong hits =
            new java.util.concurrent.atomic.AtomicLong();

    public DiskCodeCache(Path root) throws IOException {
        this.dir = root.resolve("endive-" + endiveVersion());
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's ACL is the user's business.
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        hits.incrementAndGet();
        return Files.readAllBytes(file);
    }

    /** How many loads found their code here instead of compiling it. */
    public long hits() {
        return hits.get();
    }

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
        Path file = file(key);
        if (Files.exists(file)) {
            return;
        }
        Path tmp = Files.createTempFile(dir, "partial-", ".jar");
        try {
            Files.write(tmp, data);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException anotherWriterWon) {
            // Same key, same content.
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** How many modules are cached (for tests and tools). */
    public long size() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).count();
        }
    }

    private Path file(String key) {
        return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar");
    }

    private static String endiveVersion() {
        String v = Cache.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
