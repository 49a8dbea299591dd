package io.wasmesh.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Modules built elsewhere in the repository (committed, so no toolchain is needed). */
public final class Fixtures {
    private Fixtures() {}

    public static byte[] filter(String name) {
        return read(Path.of("..", "filter-sdk", "examples", "c", name + ".wasm"));
    }

    public static byte[] service(String name) {
        return read(Path.of("..", "services", name, name + ".wasm"));
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates a tenant owning {@code <name>.example.com} and returns a client holding its token.
     */
    public static Api tenant(Api operator, String name) {
        Api.Response created =
                operator.postJson(
                        "/v1/tenants",
                        "{\"name\":\"" + name + "\",\"domains\":[\"" + name + ".example.com\"]}");
        if (created.status() != 201) {
            throw new AssertionError("cannot create tenant " + name + ": " + created);
        }
        Api.Response token =
                operator.postJson("/v1/tenants/" + name + "/tokens", "{\"name\":\"t\"}");
        if (token.status() != 201) {
            throw new AssertionError("cannot make a token for " + name + ": " + token);
        }
        return operator.as(token.json().path("token").asText());
    }

    /** Uploads a module and returns its sha256. */
    public static String push(Api tenant, String tenantName, byte[] wasm) {
        Api.Response r = tenant.postWasm("/v1/tenants/" + tenantName + "/modules", wasm);
        if (r.status() != 201 && r.status() != 200) {
            throw new AssertionError("upload failed: " + r);
        }
        return r.json().path("sha256").asText();
    }
}
