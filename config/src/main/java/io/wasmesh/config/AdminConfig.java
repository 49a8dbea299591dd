package io.wasmesh.config;

import java.util.Objects;

/**
 * The admin listener ({@code /config_dump} and friends).
 *
 * @param address the address to bind; default {@code 127.0.0.1}
 * @param port the port to bind; 0 picks a free port (tests). A file that leaves it out gets 9901.
 */
public record AdminConfig(String address, int port) {

    /** 127.0.0.1:9901. */
    public static final AdminConfig DEFAULT = new AdminConfig("127.0.0.1", 9901);

    public AdminConfig {
        address = Objects.requireNonNullElse(address, "127.0.0.1");
    }
}
