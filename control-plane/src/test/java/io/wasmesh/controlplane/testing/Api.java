package io.wasmesh.controlplane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking client of a control-plane node's API, for tests. */
public final class Api {
    private static final JsonMapper JSON = new JsonMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The same caller on another node. */
    public Api at(String otherBase) {
        return new Api(otherBase, token);
    }

    /** The same node as another caller. */
    public Api as(String otherToken) {
        return new Api(base, otherToken);
    }

    public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + text(), e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response postJson(String path, String json) {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response patchJson(String path, String json, String... headers) {
        return send(
                "PATCH", path, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    public Response putYaml(String path, String yaml, String... headers) {
        return send(
                "PUT", path, yaml.getBytes(StandardCharsets.UTF_8), "application/yaml", headers);
    }

    public Response postWasm(String path, byte[] wasm) {
        return send("POST", path, wasm, "application/wasm");
    }

    public Response send(
            String method, String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r =
                    CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
