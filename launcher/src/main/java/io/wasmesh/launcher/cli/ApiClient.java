package io.wasmesh.launcher.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking client of the control plane's REST API. A 4xx or 5xx answer throws {@link Refused}
 * (with the problem document's detail and errors); a server that cannot be reached throws a {@link
 * CliException} with exit code 2.
 */
final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String server;
    private final URI base;
    private final CliContext.Credential credential;

    ApiClient(String server, CliContext.Credential credential) {
        this.server = server;
        this.base = base(server);
        this.credential = credential;
    }

    /** An answer of 2xx. */
    record Response(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return parse(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** The API refused the request (4xx or 5xx): exit code 1. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String type;
        private final List<String> errors;
        private final transient HttpHeaders headers;
        private final String tokenSource;

        Refused(
                int status,
                String type,
                String detail,
                List<String> errors,
                HttpHeaders headers,
                String tokenSource) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.errors = List.copyOf(errors);
            this.headers = headers;
            this.tokenSource = tokenSource;
        }

        int status() {
            return status;
        }

        /** The problem type's last segment ({@code invalid}, {@code module-in-use}...). */
        String type() {
            return type;
        }

        List<String> errors() {
            return errors;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Where the token came from, for the hint on 401 and 403. */
        String tokenSource() {
            return tokenSource;
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response postJson(String path, Object body) {
        try {
            return send("POST", path, JSON.writeValueAsBytes(body), "application/json");
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param headers name, value, name, value...
     */
    Response send(String method, String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path.substring(1)))
                        .timeout(Duration.ofSeconds(60))
                        .header("accept", "application/json, application/problem+json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (credential != null) {
            b.header("authorization", "Bearer " + credential.token());
        }
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw CliException.usage(
                    "cannot reach the control plane at " + server + ": " + reason(e),
                    "(start one with `wasmesh up`, or give --server / WASMESH_SERVER)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.usage("interrupted");
        }
        if (r.statusCode() >= 400) {
            throw refused(r);
        }
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    private Refused refused(HttpResponse<byte[]> r) {
        String contentType = r.headers().firstValue("content-type").orElse("");
        String detail = "HTTP " + r.statusCode() + " from " + server;
        String type = "";
        List<String> errors = new ArrayList<>();
        if (contentType.contains("json")) {
            try {
                JsonNode problem = JSON.readTree(r.body());
                detail = problem.path("detail").asText(problem.path("title").asText(detail));
                String t = problem.path("type").asText("");
                type = t.substring(t.lastIndexOf('/') + 1);
                problem.path("errors").forEach(e -> errors.add(e.asText()));
            } catch (IOException e) {
                // not a problem document after all: the status line has to do
            }
        }
        return new Refused(
                r.statusCode(),
                type,
                detail,
                errors,
                r.headers(),
                credential == null ? null : credential.source());
    }

    /** {@code s} as one path segment. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code s} as a query parameter's value. */
    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw CliException.usage("the control plane's answer is not JSON: " + e.getMessage());
        }
    }

    private static URI base(String server) {
        try {
            URI uri = new URI(server.endsWith("/") ? server : server + "/");
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // the message below says what is wanted
        }
        throw CliException.usage(
                "the server must be an http(s) URL like "
                        + CliContext.DEFAULT_SERVER
                        + ", not '"
                        + server
                        + "'");
    }

    private static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
