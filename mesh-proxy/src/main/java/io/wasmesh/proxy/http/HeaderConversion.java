package io.wasmesh.proxy.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Moves headers between Vert.x and the proxy-wasm view filters see: HTTP/2-style pseudo headers
 * ({@code :method}, {@code :path}, {@code :authority}, {@code :scheme}, {@code :status}),
 * lower-case names, hop-by-hop headers dropped, and the forwarding headers a mesh proxy adds.
 */
public final class HeaderConversion {
    private HeaderConversion() {}

    /**
     * The request as filters and upstreams see it, with {@code x-forwarded-for}, {@code
     * x-forwarded-proto}, {@code x-forwarded-host} and {@code x-request-id} set.
     */
    public static HeaderMap fromRequest(HttpServerRequest req, String scheme) {
        HeaderMap h = new HeaderMap();
        io.vertx.core.net.HostAndPort a = req.authority();
        String authority = a == null ? "" : a.port() > 0 ? a.host() + ":" + a.port() : a.host();
        h.add(":method", req.method().name());
        h.add(":path", req.uri());
        h.add(":authority", authority);
        h.add(":scheme", scheme);
        MultiMap in = req.headers();
        Set<String> skip = HopByHop.namesIn(in);
        for (Map.Entry<String, String> e : in) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!skip.contains(name) && !name.equals("host")) {
                h.add(name, e.getValue());
            }
        }
        String client = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        if (client != null) {
            String previous = h.get("x-forwarded-for");
            h.set("x-forwarded-for", previous == null ? client : previous + ", " + client);
        }
        h.set("x-forwarded-proto", scheme);
        if (h.get("x-forwarded-host") == null && !authority.isEmpty()) {
            h.set("x-forwarded-host", authority);
        }
        if (h.get("x-request-id") == null) {
            h.set("x-request-id", RequestIds.next());
        }
        return h;
    }

    /** Copies the regular (non-pseudo) headers into a Vert.x map, e.g. for the upstream. */
    public static void copyRegular(HeaderMap from, MultiMap to) {
        for (Map.Entry<String, String> e : from.entries()) {
            if (!e.getKey().startsWith(":")) {
                to.add(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * A copy without hop-by-hop headers and {@code content-length} (the proxy frames the body
     * itself): for answers a Wasm service wrote.
     */
    public static HeaderMap withoutHopByHop(HeaderMap headers) {
        HeaderMap out = new HeaderMap();
        for (Map.Entry<String, String> e : headers.entries()) {
            String name = e.getKey();
            if (!HopByHop.ALWAYS.contains(name) && !name.equals("content-length")) {
                out.add(name, e.getValue());
            }
        }
        return out;
    }

    /** A response from an upstream, with {@code :status}. */
    public static HeaderMap fromResponse(int status, MultiMap headers) {
        HeaderMap h = new HeaderMap();
        h.add(":status", Integer.toString(status));
        Set<String> skip = HopByHop.namesIn(headers);
        for (Map.Entry<String, String> e : headers) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!skip.contains(name)) {
                h.add(name, e.getValue());
            }
        }
        return h;
    }
}
