package io.wasmesh.config;

import java.util.List;
import java.util.Objects;

/**
 * Where the proxy accepts requests.
 *
 * @param name the listener's name, unique in the file
 * @param address the address to bind; default {@code 0.0.0.0}
 * @param port the port to bind, 0..65535; 0 picks a free port (tests)
 * @param protocols the HTTP versions accepted; default {@code [HTTP1, H2C]}
 * @param tls the certificate to serve TLS with, or {@code null} for plaintext
 */
public record ListenerConfig(
        String name, String address, int port, List<HttpProtocol> protocols, TlsConfig tls) {

    public ListenerConfig {
        address = Objects.requireNonNullElse(address, "0.0.0.0");
        protocols =
                protocols == null
                        ? List.of(HttpProtocol.HTTP1, HttpProtocol.H2C)
                        : List.copyOf(protocols);
    }
}
