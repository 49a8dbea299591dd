package io.wasmesh.proxy.exchange;

import io.wasmesh.config.Redirect;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;

/**
 * The {@code location} of a redirect route: the request's own URL with the parts the route replaces
 * (scheme, host, port, path, or a path prefix), as Envoy's {@code redirect} action.
 */
final class Redirects {
    private Redirects() {}

    /** {@code routePrefix}: the route's match prefix, replaced by a prefix rewrite (or null). */
    static String location(Redirect r, String routePrefix, HeaderMap request) {
        String scheme = r.scheme() != null ? r.scheme() : request.get(":scheme");
        String authority = request.get(":authority");
        String host =
                io.wasmesh.proxy.route.RequestFacts.hostWithoutPortOf(
                        authority == null ? "" : authority);
        String port = portOf(authority);
        if (r.host() != null) {
            host = r.host();
        }
        if (r.port() != null) {
            port = Integer.toString(r.port());
        }
        if (port != null && isDefaultPort(scheme, port)) {
            port = null;
        }
        String fullPath = request.get(":path") == null ? "/" : request.get(":path");
        int q = fullPath.indexOf('?');
        String path = q < 0 ? fullPath : fullPath.substring(0, q);
        String query = q < 0 ? "" : fullPath.substring(q);
        if (r.path() != null) {
            path = r.path();
        } else if (r.prefixRewrite() != null) {
            int cut =
                    routePrefix != null && path.startsWith(routePrefix) ? routePrefix.length() : 0;
            path = r.prefixRewrite() + path.substring(cut);
        }
        return scheme + "://" + host + (port == null ? "" : ":" + port) + path + query;
    }

    private static String portOf(String authority) {
        if (authority == null) {
            return null;
        }
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        return colon > bracket && colon >= 0 ? authority.substring(colon + 1) : null;
    }

    private static boolean isDefaultPort(String scheme, String port) {
        return ("http".equals(scheme) && port.equals("80"))
                || ("https".equals(scheme) && port.equals("443"));
    }
}
