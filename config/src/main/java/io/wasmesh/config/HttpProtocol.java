package io.wasmesh.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An HTTP version a listener accepts. */
public enum HttpProtocol {
    /** HTTP/1.1 (and 1.0). */
    @JsonProperty("http1")
    HTTP1,
    /** Cleartext HTTP/2: prior knowledge or an HTTP/1.1 upgrade. */
    @JsonProperty("h2c")
    H2C,
    /** HTTP/2 over TLS, negotiated by ALPN; needs {@link ListenerConfig#tls()}. */
    @JsonProperty("h2")
    H2
}
