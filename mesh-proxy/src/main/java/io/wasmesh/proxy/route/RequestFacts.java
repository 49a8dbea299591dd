package io.wasmesh.proxy.route;

import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What routes match on, read once from a request's headers: method, host (without port), path
 * without the query, and the query parameters (decoded, parsed on first use).
 */
public final class RequestFacts {
    private final HeaderMap headers;
    private final String method;
    private final String host;
    private final String path;
    private final String rawQuery;
    private Map<String, List<String>> query;

    public RequestFacts(HeaderMap headers) {
        this.headers = headers;
        this.method = nullToEmpty(headers.get(":method"));
        this.host = hostWithoutPortOf(nullToEmpty(headers.get(":authority")));
        String full = nullToEmpty(headers.get(":path"));
        int q = full.indexOf('?');
        this.path = q < 0 ? full : full.substring(0, q);
        this.rawQuery = q < 0 ? "" : full.substring(q + 1);
    }

    public String method() {
        return method;
    }

    public String host() {
        return host;
    }

    public String path() {
        return path;
    }

    public List<String> header(String name) {
        return headers.getAll(name);
    }

    public List<String> queryParameter(String name) {
        if (query == null) {
            query = parseQuery(rawQuery);
        }
        return query.getOrDefault(name, List.of());
    }

    /** {@code authority} without its port, lower-cased ({@code [::1]:80} gives {@code [::1]}). */
    public static String hostWithoutPortOf(String authority) {
        String a = authority.toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("[")) { // IPv6 literal
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s; // match on the raw text rather than refuse the request
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
