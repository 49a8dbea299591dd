package io.wasmesh.launcher;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wasmesh.controlplane.auth.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What {@code wasmesh up} remembers in {@code <data>/context.json} (mode 0600), and what the CLI
 * commands read their server and tokens from.
 *
 * @param server the control plane's API
 * @param operatorToken the operator's token
 * @param tenant the demo tenant
 * @param tenantToken the demo tenant's token
 * @param proxyToken the embedded proxy's token
 */
record UpContext(
        String server, String operatorToken, String tenant, String tenantToken, String proxyToken) {
    private static final JsonMapper JSON = new JsonMapper();

    static final String FILE = "context.json";

    /** The saved context, or a fresh one with a new operator token. */
    static UpContext loadOrCreate(Path dataDir, String server) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            UpContext saved = JSON.readValue(file.toFile(), UpContext.class);
            return new UpContext(
                    server,
                    saved.operatorToken(),
                    saved.tenant(),
                    saved.tenantToken(),
                    saved.proxyToken());
        }
        return new UpContext(server, Tokens.newSecret(), "demo", null, null);
    }

    UpContext withTokens(String tenantToken, String proxyToken) {
        return new UpContext(server, operatorToken, tenant, tenantToken, proxyToken);
    }

    void save(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        Path tmp = Files.createTempFile(dataDir, ".context-", ".json");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the data folder's own permissions apply
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
