package io.wasmesh.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sets up {@code wasmesh up}'s demo tenant the way a user would, through the REST API (with the
 * CLI's own client): the tenant and its token, a proxy token, the two modules, and the config
 * document (written to the data folder for the user to edit and apply again). Does nothing that is
 * already done.
 */
public final class DemoTenant {
    private final ApiClient operator;
    private final String server;
    private final String tenant;

    /** The tokens the demo runs with. */
    public record Tokens(String tenant, String proxy) {}

    public DemoTenant(String server, String operatorToken, String tenant) {
        this.server = server;
        this.operator =
                new ApiClient(server, new CliContext.Credential(operatorToken, "wasmesh up"));
        this.tenant = tenant;
    }

    /**
     * Makes what is missing: the tenant, a token for it (unless {@code tenantToken} still works), a
     * proxy token (unless given), and, while the tenant has nothing applied, the demo document,
     * also written to {@code dataDir/demo-tenant.yaml}.
     */
    public Tokens ensure(Path dataDir, int upstreamPort, String tenantToken, String proxyToken)
            throws IOException {
        String path = "/v1/tenants/" + tenant;
        if (!exists(operator, path)) {
            operator.postJson(
                    "/v1/tenants", Map.of("name", tenant, "domains", new String[] {"localhost"}));
        }
        if (tenantToken == null || !exists(as(tenantToken), path)) {
            tenantToken =
                    operator.postJson(path + "/tokens", Map.of("name", "wasmesh up"))
                            .json()
                            .path("token")
                            .asText();
        }
        if (proxyToken == null) {
            proxyToken =
                    operator.postJson("/v1/tokens", Map.of("role", "proxy", "name", "wasmesh up"))
                            .json()
                            .path("token")
                            .asText();
        }
        if (revision() == 1) { // created, nothing applied yet
            ApiClient owner = as(tenantToken);
            String yaml =
                    resource("up-tenant.yaml")
                            .replace("${ADD_HEADER}", push(owner, "/examples/c/add_header.wasm"))
                            .replace("${HELLO}", push(owner, "/services/hello/hello.wasm"))
                            .replace("${UPSTREAM_PORT}", Integer.toString(upstreamPort));
            owner.send(
                    "PUT",
                    path + "/config",
                    yaml.getBytes(StandardCharsets.UTF_8),
                    "application/yaml");
            Files.writeString(dataDir.resolve("demo-tenant.yaml"), yaml);
        }
        return new Tokens(tenantToken, proxyToken);
    }

    /** The tenant's active revision. */
    public long revision() {
        return operator.get("/v1/tenants/" + tenant).json().path("revision").asLong();
    }

    private ApiClient as(String token) {
        return new ApiClient(server, new CliContext.Credential(token, "wasmesh up"));
    }

    private static boolean exists(ApiClient api, String path) {
        try {
            api.get(path);
            return true;
        } catch (ApiClient.Refused e) {
            if (e.status() == 404 || e.status() == 401) {
                return false;
            }
            throw e;
        }
    }

    private String push(ApiClient owner, String resource) throws IOException {
        byte[] wasm;
        try (InputStream in = DemoTenant.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            wasm = in.readAllBytes();
        }
        return owner.send("POST", "/v1/tenants/" + tenant + "/modules", wasm, "application/wasm")
                .json()
                .path("sha256")
                .asText();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in =
                DemoTenant.class.getResourceAsStream("/io/wasmesh/launcher/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
