package io.wasmesh.filter.sdk.testing;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request or response to feed a filter: headers (pseudo-headers included), body chunks, trailers.
 * Mutable and fluent; the harness copies it before use.
 */
public final class HttpMessage {
    private final HeaderMap headers = new HeaderMap();
    private final List<byte[]> chunks = new ArrayList<>();
    private HeaderMap trailers;

    private HttpMessage() {}

    /**
     * A request with {@code :method}, {@code :path}, {@code :scheme http} and {@code :authority
     * example.com}.
     */
    public static HttpMessage request(String method, String path) {
        HttpMessage m = new HttpMessage();
        m.headers
                .add(":method", method)
                .add(":path", path)
                .add(":scheme", "http")
                .add(":authority", "example.com");
        return m;
    }

    /** A response with {@code :status}. */
    public static HttpMessage response(int status) {
        HttpMessage m = new HttpMessage();
        m.headers.add(":status", Integer.toString(status));
        return m;
    }

    public HttpMessage header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** Sets a header, replacing existing values (e.g. {@code :authority}). */
    public HttpMessage setHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** Adds one body chunk; call again for more chunks. */
    public HttpMessage body(byte[] chunk) {
        chunks.add(chunk.clone());
        return this;
    }

    public HttpMessage body(String chunk) {
        return body(chunk.getBytes(StandardCharsets.UTF_8));
    }

    public HttpMessage trailer(String name, String value) {
        if (trailers == null) {
            trailers = new HeaderMap();
        }
        trailers.add(name, value);
        return this;
    }

    HeaderMap headersCopy() {
        return headers.copy();
    }

    List<byte[]> chunks() {
        return chunks;
    }

    HeaderMap trailersCopy() {
        return trailers == null ? null : trailers.copy();
    }
}
