package io.wasmesh.config;

/**
 * An upstream endpoint. A file may write {@code host:port} ({@code [::1]:8080} for IPv6).
 *
 * @param host a host name or an IP address (IPv6 without brackets)
 * @param port 1..65535
 * @param weight the share of the cluster's requests, relative to the other endpoints, 0..10000 (0
 *     takes none); a file that leaves it out gets 1
 */
public record Endpoint(String host, int port, int weight) {

    /** The endpoint with weight 1. */
    public static Endpoint of(String host, int port) {
        return new Endpoint(host, port, 1);
    }
}
