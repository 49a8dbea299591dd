package io.wasmesh.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sets up {@code wasmesh up}'s demo tenant the way a user would, through the REST API: the tenant
 * and its token, a proxy token, the two modules, and the config document (written to the data
 * folder for the user to edit and apply again). Does nothing that is already done.
 */
final class DemoTenant {
    private static final JsonMapper JSON = new JsonMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final UpContext context;

    DemoTenant(UpContext context) {
        this.context = context;
    }

    /**
     * Returns the context with the tokens it made. A tenant with nothing applied yet gets the demo
     * document, also written to {@code dataDir/demo-tenant.yaml}.
     */
    UpContext ensure(Path dataDir, int upstreamPort) throws IOException, InterruptedException {
        String tenant = context.tenant();
        String op = context.operatorToken();
        if (call("GET", "/v1/tenants/" + tenant, op, null, null).statusCode() == 404) {
            expect(
                    call(
                            "POST",
                            "/v1/tenants",
                            op,
                            "{\"name\":\"" + tenant + "\",\"domains\":[\"localhost\"]}",
                            "application/json"),
                    201);
        }
        String tenantToken = context.tenantToken();
        if (tenantToken == null
                || call("GET", "/v1/tenants/" + tenant, tenantToken, null, null).statusCode()
                        != 200) {
            tenantToken =
                    json(expect(
                                    call(
                                            "POST",
                                            "/v1/tenants/" + tenant + "/tokens",
                                            op,
                                            "{\"name\":\"wasmesh up\"}",
                                            "application/json"),
                                    201))
                            .path("token")
                            .asText();
        }
        String proxyToken = context.proxyToken();
        if (proxyToken == null) {
            proxyToken =
                    json(expect(
                                    call(
                                            "POST",
                                            "/v1/tokens",
                                            op,
                                            "{\"role\":\"proxy\",\"name\":\"wasmesh up\"}",
                                            "application/json"),
                                    201))
                            .path("token")
                            .asText();
        }
        Path document = dataDir.resolve("demo-tenant.yaml");
        if (revision() == 1) { // created, nothing applied yet
            String addHeader = push(tenantToken, "/examples/c/add_header.wasm");
            String hello = push(tenantToken, "/services/hello/hello.wasm");
            String yaml =
                    resource("up-tenant.yaml")
                            .replace("${ADD_HEADER}", addHeader)
                            .replace("${HELLO}", hello)
                            .replace("${UPSTREAM_PORT}", Integer.toString(upstreamPort));
            expect(
                    call(
                            "PUT",
                            "/v1/tenants/" + tenant + "/config",
                            tenantToken,
                            yaml,
                            "application/yaml"),
                    201);
            Files.writeString(document, yaml);
        }
        return context.withTokens(tenantToken, proxyToken);
    }

    /** The tenant's active revision. */
    long revision() throws IOException, InterruptedException {
        return json(expect(
                        call(
                                "GET",
                                "/v1/tenants/" + context.tenant(),
                                context.operatorToken(),
                                null,
                                null),
                        200))
                .path("revision")
                .asLong();
    }

    private String push(String token, String resource) throws IOException, InterruptedException {
        byte[] wasm;
        try (InputStream in = DemoTenant.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            wasm = in.readAllBytes();
        }
        HttpRequest req =
                HttpRequest.newBuilder(
                                URI.create(
                                        context.server()
                                                + "/v1/tenants/"
                                                + context.tenant()
                                                + "/modules"))
                        .header("authorization", "Bearer " + token)
                        .header("content-type", "application/wasm")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(wasm))
                        .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IOException("uploading " + resource + ": " + r.statusCode() + " " + r.body());
        }
        return json(r).path("sha256").asText();
    }

    private HttpResponse<String> call(
            String method, String path, String token, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(context.server() + path))
                        .header("authorization", "Bearer " + token)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status)
            throws IOException {
        if (r.statusCode() != status) {
            throw new IOException(
                    r.request().method()
                            + " "
                            + r.uri().getPath()
                            + ": "
                            + r.statusCode()
                            + " "
                            + r.body());
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoTenant.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
