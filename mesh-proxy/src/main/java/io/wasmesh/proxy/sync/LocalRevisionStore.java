package io.wasmesh.proxy.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The last good revision of each pushed tenant and the modules they use, on local disk: {@code
 * tenants/<name>.json} and {@code modules/<sha256>.wasm}. Every write goes to a temporary file
 * renamed into place, so a crash leaves the old file or the new one, never half of one. Blocking.
 */
public final class LocalRevisionStore {
    private static final JsonMapper JSON = new JsonMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private final Path tenants;
    private final Path modules;

    /** A stored tenant: its revision number and its config in the config schema's form. */
    public record StoredTenant(String name, long revision, String tenantJson) {}

    public LocalRevisionStore(Path dir) throws IOException {
        this.tenants = Files.createDirectories(dir.resolve("tenants"));
        this.modules = Files.createDirectories(dir.resolve("modules"));
    }

    /** Where modules are kept, for {@code MeshProxy.Options.withModuleStore}. */
    public Path modulesDir() {
        return modules;
    }

    public boolean hasModule(String sha256) {
        return Files.isRegularFile(moduleFile(sha256));
    }

    /**
     * Keeps a module after checking its bytes have the digest they were asked by.
     *
     * @throws IOException when the digest differs (nothing is written) or the disk fails
     */
    public void saveModule(String sha256, byte[] bytes) throws IOException {
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IOException(
                    "module digest mismatch: asked for " + sha256 + ", received " + actual);
        }
        writeAtomically(moduleFile(sha256), bytes);
    }

    public void saveTenant(String name, long revision, String tenantJson) throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("revision", revision);
        doc.set("tenant", JSON.readTree(tenantJson));
        writeAtomically(tenantFile(name), JSON.writeValueAsBytes(doc));
    }

    public void removeTenant(String name) throws IOException {
        Files.deleteIfExists(tenantFile(name));
    }

    /** Every stored tenant; unreadable files are skipped with a warning. */
    public Map<String, StoredTenant> loadTenants() throws IOException {
        Map<String, StoredTenant> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tenants, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    JsonNode doc = JSON.readTree(f.toFile());
                    out.put(
                            name,
                            new StoredTenant(
                                    name,
                                    doc.path("revision").asLong(),
                                    JSON.writeValueAsString(doc.path("tenant"))));
                } catch (IOException e) {
                    System.getLogger(LocalRevisionStore.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "skipping unreadable " + f + ": " + e);
                }
            }
        }
        return out;
    }

    private Path moduleFile(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return modules.resolve(sha256 + ".wasm");
    }

    private Path tenantFile(String name) {
        if (!TENANT.matcher(name).matches()) {
            throw new IllegalArgumentException("not a tenant name: " + name);
        }
        return tenants.resolve(name + ".json");
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
