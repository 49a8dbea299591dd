package io.wasmesh.proxy.http;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded,
 * including any header the {@code Connection} header names.
 */
public final class HopByHop {
    static final Set<String> ALWAYS =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-connection",
                    "transfer-encoding",
                    "te",
                    "trailer",
                    "upgrade",
                    "http2-settings");

    private HopByHop() {}

    /** The names not to forward from {@code headers}, lower-case. */
    public static Set<String> namesIn(MultiMap headers) {
        List<String> connectionHeaders = headers.getAll("connection");
        if (connectionHeaders.isEmpty() || namesNothingMore(connectionHeaders)) {
            return ALWAYS; // the common cases: nothing to allocate
        }
        Set<String> names = new HashSet<>(ALWAYS);
        for (String connection : connectionHeaders) {
            for (String token : connection.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }

    /** {@code Connection: keep-alive} or {@code close}: no other header to drop. */
    private static boolean namesNothingMore(List<String> connectionHeaders) {
        if (connectionHeaders.size() != 1) {
            return false;
        }
        String v = connectionHeaders.get(0);
        return v.equalsIgnoreCase("keep-alive") || v.equalsIgnoreCase("close");
    }
}
